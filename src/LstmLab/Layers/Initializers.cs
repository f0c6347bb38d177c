using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>Weight initializers with Keras's definitions, drawing from a seeded <see cref="RandomGenerator"/>.</summary>
public static class Initializers
{
    /// <summary>
    /// glorot_uniform: U(−limit, limit) with limit = √(6 / (fan_in + fan_out)).
    /// For a kernel [fan_in, fan_out] (Keras's 2-D fans).
    /// </summary>
    public static void GlorotUniform(Span<float> values, int fanIn, int fanOut, RandomGenerator random)
    {
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)random.NextUniform(-limit, limit);
    }

    /// <summary>
    /// orthogonal (gain 1), as Keras: draw a (max(r, c), min(r, c)) standard normal matrix, take Q
    /// of its QR decomposition with the signs fixed so diag(R) &gt; 0, transpose it when r &lt; c.
    /// The result [rows, cols] has orthonormal rows (rows ≤ cols) or columns (rows ≥ cols).
    /// </summary>
    public static void Orthogonal(Span<float> values, int rows, int cols, RandomGenerator random)
    {
        if (values.Length != rows * cols)
            throw new ArgumentException($"Orthogonal initializer: {values.Length} values for a [{rows}, {cols}] matrix.", nameof(values));
        int tall = Math.Max(rows, cols), narrow = Math.Min(rows, cols);
        // a is tall × narrow, stored by columns so Gram-Schmidt works on contiguous vectors.
        var columns = new double[narrow][];
        for (int j = 0; j < narrow; j++)
            columns[j] = new double[tall];
        for (int i = 0; i < tall; i++)
        {
            for (int j = 0; j < narrow; j++)
                columns[j][i] = random.NextNormal();
        }
        // Modified Gram-Schmidt, twice for numerical orthogonality; R's diagonal is the (positive)
        // norm, which is the sign convention Keras enforces.
        for (int j = 0; j < narrow; j++)
        {
            double[] q = columns[j];
            for (int pass = 0; pass < 2; pass++)
            {
                for (int p = 0; p < j; p++)
                {
                    double[] prev = columns[p];
                    double dot = 0;
                    for (int i = 0; i < tall; i++)
                        dot += prev[i] * q[i];
                    for (int i = 0; i < tall; i++)
                        q[i] -= dot * prev[i];
                }
            }
            double norm = 0;
            for (int i = 0; i < tall; i++)
                norm += q[i] * q[i];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < tall; i++)
                q[i] /= norm;
        }
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
                values[r * cols + c] = (float)(rows >= cols ? columns[c][r] : columns[r][c]);
        }
    }
}
