// Linked into the release binary only (scripts/build-release). The statically linked
// libstdc++ (std::random_device, never called by cachectl) refers to arc4random, which
// glibc added in 2.36; a definition here keeps that reference inside the binary, so it
// still runs on glibc 2.34 and 2.35 (Ubuntu 22.04). Same contract: random bytes from the
// kernel's generator.
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>

uint32_t arc4random(void) {
    uint32_t value = 0;
    ssize_t got;
    while ((got = getrandom(&value, sizeof value, 0)) != (ssize_t)sizeof value) {
        if (got < 0 && errno != EINTR) abort();  // like glibc's: never return weak randomness
    }
    return value;
}
