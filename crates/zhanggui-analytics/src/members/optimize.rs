//! Maximum likelihood needs a minimiser: Nelder-Mead's simplex (no derivatives), and a
//! numerical Hessian for the standard errors.

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
        if (values[n] - values[0]).abs() < tolerance * (1.0 + values[0].abs()) {
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

/// Maximises a log-likelihood over `n` positive parameters: the simplex searches their
/// logarithms (so they stay positive), starting from all ones and restarting from its
/// answer until it stops improving (Nelder-Mead can stall before the optimum).
pub fn maximize_positive(log_likelihood: &dyn Fn(&[f64]) -> f64, n: usize) -> Fit {
    let neg = |logs: &[f64]| -> f64 {
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
        // [[2, 1], [1, 4]]⁻¹ = [[4, −1], [−1, 2]] / 7.
        assert!((inv[0][0] - 4.0 / 7.0).abs() < 1e-4 && (inv[0][1] + 1.0 / 7.0).abs() < 1e-4);
    }
}
