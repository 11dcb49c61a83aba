"""numpy's complex64 matrix product X X^H (OpenBLAS cgemm) on the same shapes as CorrelatorBenchmark: the peer.

Prints one line per N: useful complex MACs/s (upper triangle incl. autos, N(N+1)/2 x samples, as for ours; OpenBLAS
computes the full matrix), the median of REPEATS runs, and first the BLAS library and the kernel it runs."""
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

threads = int(sys.argv[1])
repeats = int(sys.argv[2])
sizes = [int(n) for n in sys.argv[3:]]
with threadpool_limits(limits=threads, user_api="blas"):
    for info in threadpool_info():
        if info.get("user_api") == "blas":
            print("numpy %s, %s %s, kernel %s, %d thread(s), %s" % (np.__version__, info["internal_api"],
                  info["version"], info.get("architecture"), info["num_threads"], info["filepath"]))
    rng = np.random.default_rng(1)
    for n in sizes:
        samples = 1024 if n >= 1024 else 4096
        x = (rng.integers(-8, 8, (n, samples)) + 1j * rng.integers(-8, 8, (n, samples))).astype(np.complex64)
        xh = x.conj().T.copy()
        x @ xh
        rates = []
        for _ in range(repeats):
            reps = 1
            while True:
                start = time.perf_counter()
                for _ in range(reps):
                    x @ xh
                elapsed = time.perf_counter() - start
                if elapsed > 0.3:
                    break
                reps *= 2
            rates.append(n * (n + 1) / 2 * samples * reps / elapsed)
        rates.sort()
        print("numpy N=%d threads=%d: %.2f G useful complex MACs/s (median of %d)" % (n, threads,
              rates[len(rates) // 2] / 1e9, repeats))
