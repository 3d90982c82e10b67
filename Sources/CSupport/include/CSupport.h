#ifndef VCDM_CSUPPORT_H
#define VCDM_CSUPPORT_H

/// Asks the CPU to start loading the cache lines of [p, p + bytes) for reading, without waiting for them:
/// several misses then overlap instead of each stalling the next (Swift has no prefetch of its own).
static inline void vcdm_prefetch(const void *p, unsigned long bytes) {
    const char *c = (const char *)p;
    for (unsigned long k = 0; k < bytes; k += 64) __builtin_prefetch(c + k, 0, 3);
}

#endif
