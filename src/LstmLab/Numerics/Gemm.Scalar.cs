using System.Runtime.CompilerServices;

namespace LstmLab.Numerics;

// The scalar path of Gemm: plain loops, the reference the vector paths are tested against.
public static unsafe partial class Gemm
{
    /// <summary>Plain loops for CPUs without AVX2/FMA: C[i,:] += A[i,kk]·op(B)[kk,:], zero multipliers skipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScalarProduct(Operand a, Operand b, float* c, nint ldc, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            float* row = c + i * ldc;
            for (int kk = 0; kk < k; kk++)
            {
                float s = a.P[i * a.RowStride + kk * a.ColStride];
                if (s == 0f)
                    continue;
                float* bk = b.P + kk * b.RowStride;
                for (int j = 0; j < n; j++)
                    row[j] += s * bk[j * b.ColStride];
            }
        }
    }
}
