using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Linear.Optimization;

/// <summary>
/// Minimises f(θ) + c Σ_{i &lt; l1Count} |θᵢ| with f smooth: L-BFGS (memory 10) when c = 0, and its orthant-wise
/// extension OWL-QN (Andrew and Gao, "Scalable training of L1-regularized log-linear models", ICML 2007) otherwise:
/// the pseudo-gradient replaces the gradient, the direction is kept in the orthant of the pseudo-gradient, and the
/// backtracking line search projects coordinates that would change sign to 0.
/// Stops when the relative decrease (f_prev − f) / max(1, |f|) stays below <see cref="Tolerance"/> for 3 iterations,
/// when the pseudo-gradient's largest entry is below <see cref="GradientTolerance"/>, when no step decreases the
/// objective, or after <see cref="MaxIterations"/>.
/// </summary>
internal sealed class OwlQn
{
    private const int Memory = 10;

    public double Tolerance { get; init; } = 1e-7;

    public double GradientTolerance { get; init; } = 1e-6;

    public int MaxIterations { get; init; } = 1000;

    /// <summary>Called after each iteration with (iteration, objective, optimality = ‖pseudo-gradient‖∞).</summary>
    public Action<int, double, double>? Progress { get; init; }

    /// <summary>Minimises from <paramref name="theta"/> (updated in place); returns the trace.</summary>
    public OptimizationTrace Minimize(Func<double[], double[], double> smooth, double[] theta, double l1Weight, int l1Count)
    {
        int n = theta.Length;
        var gradient = new double[n];
        var pseudo = new double[n];
        var direction = new double[n];
        var next = new double[n];
        var nextGradient = new double[n];
        var sHistory = new List<double[]>();
        var yHistory = new List<double[]>();
        var rhoHistory = new List<double>();
        var trace = new OptimizationTrace();

        double f = smooth(theta, gradient) + L1(theta, l1Weight, l1Count);
        PseudoGradient(theta, gradient, l1Weight, l1Count, pseudo);
        trace.Add(f, MaxAbs(pseudo));
        int quiet = 0;
        for (int iteration = 1; iteration <= MaxIterations; iteration++)
        {
            Cancellation.ThrowIfRequested();
            WorkProgress.Report("OWL-QN iteration", iteration - 1, MaxIterations);
            if (MaxAbs(pseudo) < GradientTolerance)
            {
                trace.StopReason = "gradient below tolerance";
                break;
            }

            TwoLoop(pseudo, sHistory, yHistory, rhoHistory, direction);
            if (l1Weight > 0)
            {
                for (int i = 0; i < l1Count; i++)
                {
                    if (direction[i] * pseudo[i] >= 0)
                    {
                        direction[i] = 0;
                    }
                }
            }

            double slope = Dot(direction, pseudo);
            if (slope >= 0)
            {
                // Not a descent direction (curvature information went stale): restart from steepest descent.
                sHistory.Clear();
                yHistory.Clear();
                rhoHistory.Clear();
                for (int i = 0; i < n; i++)
                {
                    direction[i] = -pseudo[i];
                }

                slope = Dot(direction, pseudo);
            }

            double step = sHistory.Count == 0 ? Math.Min(1.0, 1.0 / Math.Sqrt(Dot(pseudo, pseudo))) : 1.0;
            double nextF = double.NaN;
            bool accepted = false;
            for (int attempt = 0; attempt < 40; attempt++, step *= 0.5)
            {
                for (int i = 0; i < n; i++)
                {
                    next[i] = theta[i] + (step * direction[i]);
                }

                if (l1Weight > 0)
                {
                    for (int i = 0; i < l1Count; i++)
                    {
                        double orthant = theta[i] != 0 ? Math.Sign(theta[i]) : -Math.Sign(pseudo[i]);
                        if (Math.Sign(next[i]) != orthant)
                        {
                            next[i] = 0;
                        }
                    }
                }

                nextF = smooth(next, nextGradient) + L1(next, l1Weight, l1Count);
                double expected = 0;
                for (int i = 0; i < n; i++)
                {
                    expected += pseudo[i] * (next[i] - theta[i]);
                }

                if (nextF <= f + (1e-4 * expected))
                {
                    accepted = true;
                    break;
                }
            }

            if (!accepted)
            {
                trace.StopReason = "no step decreases the objective (converged to working precision)";
                break;
            }

            var s = new double[n];
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                s[i] = next[i] - theta[i];
                y[i] = nextGradient[i] - gradient[i];
            }

            double sy = Dot(s, y);
            if (sy > 1e-12)
            {
                if (sHistory.Count == Memory)
                {
                    sHistory.RemoveAt(0);
                    yHistory.RemoveAt(0);
                    rhoHistory.RemoveAt(0);
                }

                sHistory.Add(s);
                yHistory.Add(y);
                rhoHistory.Add(1 / sy);
            }

            double decrease = (f - nextF) / Math.Max(1.0, Math.Abs(nextF));
            Array.Copy(next, theta, n);
            Array.Copy(nextGradient, gradient, n);
            f = nextF;
            PseudoGradient(theta, gradient, l1Weight, l1Count, pseudo);
            double optimality = MaxAbs(pseudo);
            trace.Add(f, optimality);
            Progress?.Invoke(iteration, f, optimality);
            quiet = decrease < Tolerance ? quiet + 1 : 0;
            if (quiet >= 3)
            {
                trace.StopReason = "relative decrease below tolerance";
                break;
            }
        }

        trace.StopReason ??= "maximum iterations";
        WorkProgress.Report("OWL-QN iteration", trace.Objective.Count - 1, trace.Objective.Count - 1);
        return trace;
    }

    private static double L1(double[] theta, double weight, int count)
    {
        if (weight == 0)
        {
            return 0;
        }

        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += Math.Abs(theta[i]);
        }

        return weight * sum;
    }

    /// <summary>The minimum-norm subgradient of f + c‖θ₁..ₗ‖₁ (the gradient itself when c = 0).</summary>
    internal static void PseudoGradient(double[] theta, double[] gradient, double weight, int count, double[] pseudo)
    {
        Array.Copy(gradient, pseudo, gradient.Length);
        if (weight == 0)
        {
            return;
        }

        for (int i = 0; i < count; i++)
        {
            double g = gradient[i];
            pseudo[i] = theta[i] > 0 ? g + weight
                : theta[i] < 0 ? g - weight
                : g + weight < 0 ? g + weight
                : g - weight > 0 ? g - weight
                : 0;
        }
    }

    private static void TwoLoop(double[] gradient, List<double[]> s, List<double[]> y, List<double> rho, double[] direction)
    {
        int m = s.Count;
        var alpha = new double[m];
        Array.Copy(gradient, direction, gradient.Length);
        for (int i = m - 1; i >= 0; i--)
        {
            alpha[i] = rho[i] * Dot(s[i], direction);
            Axpy(-alpha[i], y[i], direction);
        }

        if (m > 0)
        {
            double scale = Dot(s[m - 1], y[m - 1]) / Dot(y[m - 1], y[m - 1]);
            for (int i = 0; i < direction.Length; i++)
            {
                direction[i] *= scale;
            }
        }

        for (int i = 0; i < m; i++)
        {
            double beta = rho[i] * Dot(y[i], direction);
            Axpy(alpha[i] - beta, s[i], direction);
        }

        for (int i = 0; i < direction.Length; i++)
        {
            direction[i] = -direction[i];
        }
    }

    private static double Dot(double[] a, double[] b) => System.Numerics.Tensors.TensorPrimitives.Dot<double>(a, b);

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    private static double MaxAbs(double[] values) => values.Length == 0 ? 0 : System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<double>(values) is var m ? Math.Abs(m) : 0;
}
