internal import Foundation

/// The regularized incomplete beta function I_x(a, b), for the Student t distribution.
///
/// The continued fraction of Didonato and Morris, evaluated by the modified Lentz method (as in
/// Numerical Recipes, §6.4), on whichever of x and 1 − x converges fast; both are passed so that
/// neither is computed by a subtraction that would lose the digits of a small tail.
enum IncompleteBeta {
    /// I_x(a, b) with y = 1 − x and both logarithms given exactly.
    /// - Parameters:
    ///   - x: In [0, 1].
    ///   - y: 1 − x.
    ///   - logX: log x (callers often know it more precisely than log(x) would give).
    ///   - logY: log y.
    ///   - a: Positive.
    ///   - b: Positive.
    /// - Returns: The probability.
    static func regularized(x: Double, y: Double, logX: Double, logY: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if y <= 0 { return 1 }
        let front = exp(a * logX + b * logY - logBeta(a, b))
        if x < (a + 1) / (a + b + 2) {
            return front * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - front * continuedFraction(x: y, a: b, b: a) / b
    }

    /// log B(a, b). With the larger argument at least 10, lgamma(large) − lgamma(large + small) is taken
    /// from Stirling's series rather than as a difference of two large numbers, which would lose about
    /// log10(a·log a) digits (1e-10 at the 50,000 degrees of freedom of a big survey).
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        let large = max(a, b), small = min(a, b)
        guard large >= 10 else { return lgamma(a) + lgamma(b) - lgamma(a + b) }
        let sum = large + small
        let difference = -small * log(sum) - (large - 0.5) * log1p(small / large) + small + stirlingRemainder(large)
            - stirlingRemainder(sum)
        return lgamma(small) + difference
    }

    /// lgamma(x) − ((x − ½)·log x − x + ½·log 2π), for x ≥ 10: the first five terms of Stirling's series.
    static func stirlingRemainder(_ x: Double) -> Double {
        let inverse = 1 / x, square = inverse * inverse
        return inverse * (1.0 / 12 - square * (1.0 / 360 - square * (1.0 / 1260 - square * (1.0 / 1680 - square / 1188))))
    }

    static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let sum = a + b, up = a + 1, down = a - 1
        var c = 1.0
        var d = 1 - sum * x / up
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...100_000 {
            let m = Double(m), twice = 2 * m
            var term = m * (b - m) * x / ((down + twice) * (a + twice))
            d = 1 + term * d
            if abs(d) < tiny { d = tiny }
            c = 1 + term / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            term = -(a + m) * (sum + m) * x / ((a + twice) * (up + twice))
            d = 1 + term * d
            if abs(d) < tiny { d = tiny }
            c = 1 + term / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-16 { break }
        }
        return h
    }
}
