#include <stdio.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
// The core's clock rate, for the README's two-worker analysis (issue 17): a chain of dependent integer adds runs
// one add per core clock, so adds per second = the clock. Alone, then two copies at once (one per core):
//   gcc -O1 -o /tmp/clock tools/distributed/clock.c && /tmp/clock 400000000
//   (/tmp/clock 400000000 & /tmp/clock 400000000; wait)
// Measured 2026-12-01 on the 2-core AMD EPYC: 2.91-3.05 GHz alone, 2.98-3.06 GHz for each of two copies.
int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 2000000000L;
  struct timespec a, b;
  uint64_t x = 1;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; i++) { __asm__ volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0" : "+r"(x)); }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
  printf("%.3f GHz (%.2f s)\n", 10.0 * n / s / 1e9, s);
  return (int)(x & 1) - 1;
}
