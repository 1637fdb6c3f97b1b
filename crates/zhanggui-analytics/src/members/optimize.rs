//! Maximum likelihood needs a minimiser: BFGS for likelihoods with an analytic gradient
//! (BG/NBD, Gamma-Gamma: a few dozen evaluations, which matters on a million customers),
//! Nelder-Mead's simplex for those without (Pareto/NBD), and a numerical Hessian for the
//! standard errors.

/// Minimises `f` from `start`; returns the best point and its value.
pub fn nelder_mead(f: &dyn Fn(&[f64]) -> f64, start: &[f64], tolerance: f64) -> (Vec<f64>, f64) {
    let n = start.len();
    let mut simplex: Vec<Vec<f64>> = vec![start.to_vec()];
    for i in 0..n {
        let mut p = start.to_vec();
        p[i] += if p[i].abs() > 1e-3 {
            0.1 * p[i].abs()
        } else {
            0.1
        };
        simplex.push(p);
    }
    let mut values: Vec<f64> = simplex.iter().map(|p| f(p)).collect();
    for _ in 0..20_000 {
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        simplex = order.iter().map(|&i| simplex[i].clone()).collect();
        values = order.iter().map(|&i| values[i]).collect();
        // Done when the values agree, or when the simplex has shrunk to nothing (on a flat
        // ridge the values can keep differing in their last digits).
        let extent = (0..n)
            .map(|j| {
                simplex
                    .iter()
                    .map(|p| (p[j] - simplex[0][j]).abs())
                    .fold(0.0, f64::max)
            })
            .fold(0.0, f64::max);
        if (values[n] - values[0]).abs() < tolerance * (1.0 + values[0].abs()) || extent < 1e-10 {
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|j| simplex[..n].iter().map(|p| p[j]).sum::<f64>() / n as f64)
            .collect();
        let towards = |t: f64| -> Vec<f64> {
            (0..n)
                .map(|j| centroid[j] + t * (simplex[n][j] - centroid[j]))
                .collect()
        };
        let reflected = towards(-1.0);
        let fr = f(&reflected);
        if fr < values[0] {
            let expanded = towards(-2.0);
            let fe = f(&expanded);
            if fe < fr {
                simplex[n] = expanded;
                values[n] = fe;
            } else {
                simplex[n] = reflected;
                values[n] = fr;
            }
        } else if fr < values[n - 1] {
            simplex[n] = reflected;
            values[n] = fr;
        } else {
            let contracted = if fr < values[n] {
                towards(-0.5)
            } else {
                towards(0.5)
            };
            let fc = f(&contracted);
            if fc < values[n].min(fr) {
                simplex[n] = contracted;
                values[n] = fc;
            } else {
                // Shrink towards the best point.
                let best = simplex[0].clone();
                for i in 1..=n {
                    for (v, b) in simplex[i].iter_mut().zip(&best) {
                        *v = b + 0.5 * (*v - b);
                    }
                    values[i] = f(&simplex[i]);
                }
            }
        }
    }
    let best = (0..=n)
        .min_by(|&a, &b| values[a].total_cmp(&values[b]))
        .unwrap_or(0);
    (simplex[best].clone(), values[best])
}

/// The Hessian of `f` at `x` by central differences.
pub fn hessian(f: &dyn Fn(&[f64]) -> f64, x: &[f64]) -> Vec<Vec<f64>> {
    let n = x.len();
    let h: Vec<f64> = x.iter().map(|v| 1e-4 * v.abs().max(1e-2)).collect();
    let at = |di: usize, si: f64, dj: usize, sj: f64| {
        let mut p = x.to_vec();
        p[di] += si * h[di];
        p[dj] += sj * h[dj];
        f(&p)
    };
    let mut out = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            out[i][j] = (at(i, 1.0, j, 1.0) - at(i, 1.0, j, -1.0) - at(i, -1.0, j, 1.0)
                + at(i, -1.0, j, -1.0))
                / (4.0 * h[i] * h[j]);
        }
    }
    out
}

/// The inverse of a small square matrix by Gauss-Jordan elimination; `None` if singular.
pub fn invert(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let mut a: Vec<Vec<f64>> = m
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut r = row.clone();
            r.extend((0..n).map(|j| if i == j { 1.0 } else { 0.0 }));
            r
        })
        .collect();
    for col in 0..n {
        let pivot = (col..n).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-300 {
            return None;
        }
        a.swap(col, pivot);
        let p = a[col][col];
        for v in a[col].iter_mut() {
            *v /= p;
        }
        for row in 0..n {
            if row != col {
                let factor = a[row][col];
                let pivot_row = a[col].clone();
                for (v, pv) in a[row].iter_mut().zip(pivot_row) {
                    *v -= factor * pv;
                }
            }
        }
    }
    Some(a.into_iter().map(|r| r[n..].to_vec()).collect())
}

/// A maximum-likelihood fit: the parameters, the log-likelihood there, and the standard
/// errors from the inverse of the observed information (when it can be inverted).
pub struct Fit {
    pub params: Vec<f64>,
    pub log_likelihood: f64,
    pub std_errors: Option<Vec<f64>>,
}

/// The largest |ln θ| the searches explore.
pub const LOG_BOUND: f64 = 20.0;

/// Maximises a log-likelihood over `n` positive parameters: the simplex searches their
/// logarithms (so they stay positive), starting from all ones and restarting from its
/// answer until it stops improving (Nelder-Mead can stall before the optimum).
pub fn maximize_positive(log_likelihood: &dyn Fn(&[f64]) -> f64, n: usize) -> Fit {
    let neg = |logs: &[f64]| -> f64 {
        // Beyond e^±LOG_BOUND a parameter has left any meaning (a mixing distribution
        // collapsed to a point): a wall, so the search ends there instead of running on.
        if logs.iter().any(|v| v.abs() > LOG_BOUND) {
            return f64::MAX;
        }
        let natural: Vec<f64> = logs.iter().map(|v| v.exp()).collect();
        let v = -log_likelihood(&natural);
        if v.is_finite() {
            v
        } else {
            f64::MAX
        }
    };
    let (mut best, mut value) = nelder_mead(&neg, &vec![0.0; n], 1e-12);
    for _ in 0..4 {
        let (p, v) = nelder_mead(&neg, &best, 1e-14);
        let done = (value - v).abs() < 1e-9;
        best = p;
        value = v;
        if done {
            break;
        }
    }
    let params: Vec<f64> = best.iter().map(|v| v.exp()).collect();
    let neg_natural = |p: &[f64]| -log_likelihood(p);
    let std_errors = invert(&hessian(&neg_natural, &params)).and_then(|cov| {
        let se: Vec<f64> = (0..n).map(|i| cov[i][i].sqrt()).collect();
        se.iter().all(|s| s.is_finite()).then_some(se)
    });
    Fit {
        params,
        log_likelihood: -value,
        std_errors,
    }
}

/// A log-likelihood with its gradient, both in the natural parameters.
pub type Smooth<'a> = &'a dyn Fn(&[f64]) -> (f64, Vec<f64>);

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Minimises `f` (value and gradient) from `start` by BFGS with a backtracking line search;
/// `None` when it cannot even evaluate the start.
pub fn bfgs(f: Smooth<'_>, start: &[f64], tolerance: f64) -> Option<(Vec<f64>, f64)> {
    let n = start.len();
    let identity = |n: usize| -> Vec<Vec<f64>> {
        (0..n)
            .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
            .collect()
    };
    let mut x = start.to_vec();
    let (mut fx, mut g) = f(&x);
    if !fx.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut h = identity(n);
    for _ in 0..1_000 {
        if g.iter().all(|v| v.abs() <= tolerance * (1.0 + fx.abs())) {
            break;
        }
        let mut d: Vec<f64> = h.iter().map(|row| -dot(row, &g)).collect();
        if dot(&d, &g) >= 0.0 {
            h = identity(n);
            d = g.iter().map(|v| -v).collect();
        }
        // No step longer than 2 in any coordinate (the coordinates are logarithms).
        let longest = d.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        if longest > 2.0 {
            d.iter_mut().for_each(|v| *v *= 2.0 / longest);
        }
        let slope = dot(&g, &d);
        let mut step = 1.0;
        let accepted = loop {
            let next: Vec<f64> = x.iter().zip(&d).map(|(a, b)| a + step * b).collect();
            let (fn_, gn) = f(&next);
            if fn_.is_finite()
                && gn.iter().all(|v| v.is_finite())
                && fn_ <= fx + 1e-4 * step * slope
            {
                break Some((next, fn_, gn));
            }
            step *= 0.5;
            if step < 1e-12 {
                break None;
            }
        };
        let Some((next, fn_, gn)) = accepted else {
            break;
        };
        let s: Vec<f64> = next.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        let improvement = fx - fn_;
        x = next;
        fx = fn_;
        g = gn;
        if sy > 1e-12 {
            // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
            let rho = 1.0 / sy;
            let hy: Vec<f64> = h.iter().map(|row| dot(row, &y)).collect();
            let yhy = dot(&y, &hy);
            for i in 0..n {
                for j in 0..n {
                    h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j])
                        + (rho * rho * yhy + rho) * s[i] * s[j];
                }
            }
        }
        if improvement.abs() <= 1e-15 * (1.0 + fx.abs()) && step < 1.0 {
            break;
        }
    }
    Some((x, fx))
}

/// The Hessian of a function from its gradient, by central differences.
fn hessian_of_gradient(f: Smooth<'_>, x: &[f64]) -> Vec<Vec<f64>> {
    let n = x.len();
    let mut out = vec![vec![0.0; n]; n];
    for j in 0..n {
        let h = 1e-5 * x[j].abs().max(1e-3);
        let at = |sign: f64| {
            let mut p = x.to_vec();
            p[j] += sign * h;
            f(&p).1
        };
        let (up, down) = (at(1.0), at(-1.0));
        for i in 0..n {
            out[i][j] = (up[i] - down[i]) / (2.0 * h);
        }
    }
    // Symmetrise what the differences left uneven.
    let mut even = out.clone();
    for (i, row) in even.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = 0.5 * (out[i][j] + out[j][i]);
        }
    }
    even
}

/// Maximises a log-likelihood with its gradient over positive parameters: BFGS over their
/// logarithms from `start`, falling back to the simplex when BFGS cannot start; standard
/// errors from the Hessian of the gradient.
pub fn maximize_positive_smooth(log_likelihood: Smooth<'_>, start: &[f64]) -> Fit {
    let neg = |logs: &[f64]| -> (f64, Vec<f64>) {
        if logs.iter().any(|v| v.abs() > LOG_BOUND) {
            return (f64::INFINITY, vec![0.0; logs.len()]);
        }
        let natural: Vec<f64> = logs.iter().map(|v| v.exp()).collect();
        let (v, g) = log_likelihood(&natural);
        // d(−LL)/d ln θ = −θ · dLL/dθ
        let g = g.iter().zip(&natural).map(|(d, t)| -d * t).collect();
        (-v, g)
    };
    let logs: Vec<f64> = start.iter().map(|v| v.ln()).collect();
    let Some((best, value)) = bfgs(&neg, &logs, 1e-10) else {
        return maximize_positive(&|p| log_likelihood(p).0, start.len());
    };
    let params: Vec<f64> = best.iter().map(|v| v.exp()).collect();
    let neg_natural = |p: &[f64]| -> (f64, Vec<f64>) {
        let (v, g) = log_likelihood(p);
        (-v, g.iter().map(|d| -d).collect())
    };
    let std_errors = invert(&hessian_of_gradient(&neg_natural, &params)).and_then(|cov| {
        let se: Vec<f64> = (0..params.len()).map(|i| cov[i][i].sqrt()).collect();
        se.iter().all(|s| s.is_finite()).then_some(se)
    });
    Fit {
        params,
        log_likelihood: -value,
        std_errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_a_bowl_and_its_curvature() {
        let f = |p: &[f64]| (p[0] - 3.0).powi(2) + 2.0 * (p[1] + 1.0).powi(2) + p[0] * p[1];
        let (x, _) = nelder_mead(&f, &[0.0, 0.0], 1e-14);
        // Minimum where 2(x − 3) + y = 0 and 4(y + 1) + x = 0: x = 28/7 = 4, y = −2.
        assert!(
            (x[0] - 4.0).abs() < 1e-4 && (x[1] + 2.0).abs() < 1e-4,
            "{x:?}"
        );
        let h = hessian(&f, &x);
        assert!((h[0][0] - 2.0).abs() < 1e-4 && (h[1][1] - 4.0).abs() < 1e-4);
        assert!((h[0][1] - 1.0).abs() < 1e-4);
        let inv = invert(&h).unwrap();
        let smooth = |p: &[f64]| {
            (
                f(p),
                vec![2.0 * (p[0] - 3.0) + p[1], 4.0 * (p[1] + 1.0) + p[0]],
            )
        };
        let (y, _) = bfgs(&smooth, &[0.0, 0.0], 1e-12).unwrap();
        assert!(
            (y[0] - 4.0).abs() < 1e-6 && (y[1] + 2.0).abs() < 1e-6,
            "{y:?}"
        );
        // [[2, 1], [1, 4]]⁻¹ = [[4, −1], [−1, 2]] / 7.
        assert!((inv[0][0] - 4.0 / 7.0).abs() < 1e-4 && (inv[0][1] + 1.0 / 7.0).abs() < 1e-4);
    }
}
