internal import Foundation

/// The Student t distribution: distribution function, density and quantile, for confidence intervals
/// with the design's degrees of freedom (R: `qt(0.975, degf(design))`).
public enum StudentT {
    /// P(T ≤ t) for T with `df` degrees of freedom (df = +infinity: the normal distribution).
    /// - Parameters:
    ///   - t: The point.
    ///   - df: Degrees of freedom, positive.
    /// - Returns: The probability.
    public static func cdf(_ t: Double, degreesOfFreedom df: Double) -> Double {
        if t.isNaN || !(df > 0) { return .nan }
        if df == .infinity { return 0.5 * erfc(-t * 0.70710678118654752440) }
        if t.isInfinite { return t < 0 ? 0 : 1 }
        // The tail P(T > |t|) = I_{df/(df+t²)}(df/2, 1/2) / 2, with both x and 1 − x computed directly.
        let square = t * t, total = df + square
        let tail = 0.5 * IncompleteBeta.regularized(x: df / total, y: square / total, logX: -log1p(square / df),
                                                    logY: 2 * log(abs(t)) - log(total), a: df / 2, b: 0.5)
        return t < 0 ? tail : 1 - tail
    }

    /// The density at t.
    /// - Parameters:
    ///   - t: The point.
    ///   - df: Degrees of freedom, positive.
    /// - Returns: The density.
    public static func density(_ t: Double, degreesOfFreedom df: Double) -> Double {
        if df == .infinity { return exp(-t * t / 2) / (2 * Double.pi).squareRoot() }
        let logNorm: Double = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * Double.pi)
        let logDensity: Double = logNorm - (df + 1) / 2 * log1p(t * t / df)
        return exp(logDensity)
    }

    /// The p-quantile (R: `qt(p, df)`).
    ///
    /// Closed forms for df = 1 and 2; otherwise Newton's method on `cdf` from the Cornish–Fisher
    /// approximation, kept inside a bracket that halves whenever a step would leave it, until the step
    /// is below 1e-15 of t.
    /// - Parameters:
    ///   - p: In (0, 1).
    ///   - df: Degrees of freedom, positive (+infinity for the normal quantile).
    /// - Returns: The quantile; NaN when df is not positive or p outside [0, 1].
    public static func quantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 || !(df > 0) { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        if df == .infinity { return NormalQuantile.quantile(p) }
        // Work in the lower tail, where probabilities keep their digits, and mirror.
        let lower = min(p, 1 - p)
        let sign: Double = p < 0.5 ? 1 : -1
        if df == 1 { return sign * -1 / tan(Double.pi * lower) }
        if df == 2 { return sign * (2 * lower - 1) / (2 * lower * (1 - lower)).squareRoot() }
        let z = NormalQuantile.quantile(lower)
        let cube = z * z * z
        var t: Double = z + (cube + z) / (4 * df)
        t += (5 * cube * z * z + 16 * cube + 3 * z) / (96 * df * df)
        var low = -Double.greatestFiniteMagnitude, high = 0.0
        for _ in 0..<200 {
            let error = cdf(t, degreesOfFreedom: df) - lower
            if error > 0 { high = min(high, t) } else { low = max(low, t) }
            var next = t - error / density(t, degreesOfFreedom: df)
            if !(next > low && next < high) {
                next = low == -Double.greatestFiniteMagnitude ? 2 * min(t, -1) : (low + high) / 2
            }
            let step = abs(next - t)
            t = next
            if step <= 1e-15 * abs(t) { break }
        }
        return sign * t
    }
}
