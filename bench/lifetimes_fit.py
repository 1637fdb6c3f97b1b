"""The reference for the members bench: fits BG/NBD and Gamma-Gamma with the Python
`lifetimes` package on a summary CSV (frequency, recency, T, monetary_value), the same
customers the Rust bench fits, and prints the fit time in seconds and the parameters."""

import sys
import time

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter

data = pd.read_csv(sys.argv[1])
repeat = data[(data["frequency"] > 0) & (data["monetary_value"] > 0)]
started = time.perf_counter()
bg = BetaGeoFitter()
bg.fit(data["frequency"], data["recency"], data["T"])
gg = GammaGammaFitter()
gg.fit(repeat["frequency"], repeat["monetary_value"])
took = time.perf_counter() - started
b, g = bg.params_, gg.params_
print(
    f"{took:.6f} BG/NBD r {b['r']:.4f} alpha {b['alpha']:.4f} a {b['a']:.4f} b {b['b']:.4f}; "
    f"Gamma-Gamma p {g['p']:.3f} q {g['q']:.3f} gamma {g['v']:.3f}"
)
