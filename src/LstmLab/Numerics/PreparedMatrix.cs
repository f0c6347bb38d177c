namespace LstmLab.Numerics;

/// <summary>
/// A right-hand matrix B (k × n), or the transpose of a stored matrix, rearranged once into the
/// micro-kernel's panel layout so that many products can reuse it: the LSTM multiplies by the same
/// recurrent kernel at every time step of a batch. The buffer grows when needed and is reused.
/// </summary>
internal sealed class PreparedMatrix
{
    /// <summary>Rows of op(B) (the inner dimension of the product).</summary>
    public int K { get; private set; }

    /// <summary>Columns of op(B).</summary>
    public int N { get; private set; }

    internal Isa Isa { get; private set; }

    internal float[] Buffer { get; private set; } = [];

    /// <summary>
    /// Stores op(B) = B (k × n, row-major) or, when <paramref name="transposed"/>, op(B) = Sᵀ for a stored
    /// S of n × k.
    /// </summary>
    public void Prepare(ReadOnlySpan<float> source, int k, int n, bool transposed)
    {
        if (source.Length < k * n)
            throw new ArgumentException($"Span 'source' holds {source.Length} floats but a {k}×{n} matrix needs {k * n}.", nameof(source));
        Isa = InstructionSet.Current;
        K = k;
        N = n;
        int size = Gemm.PreparedSize(Isa, k, n) + 16;
        if (Buffer.Length < size)
            Buffer = GC.AllocateUninitializedArray<float>(size, pinned: true);
        Gemm.Prepare(Isa, source, k, n, transposed, Buffer);
    }
}
