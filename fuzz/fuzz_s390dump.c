/*
 * libFuzzer target: libsclp s390 stand-alone dump parser (s390dump_parse,
 * s390dump_decode_header) on the raw input (an exact-size heap copy, so
 * any read past the end is caught).
 * Invariant: on success the memory image lies inside the buffer and has
 * info.mem_size bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sclp/s390dump.h>

#include "fuzz_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = malloc(size ? size : 1);
    struct s390dump_info *info = malloc(sizeof(*info));
    if (!buf || !info) {
        abort();
    }
    memcpy(buf, data, size);
    char err[256];
    (void)s390dump_decode_header(buf, size, info, err, sizeof(err));
    const uint8_t *mem = NULL;
    int st = s390dump_parse(buf, size, info, &mem, err, sizeof(err));
    (void)s390dump_strerror(st);
    if (st == S390DUMP_OK) {
        if (!mem || mem < buf || info->mem_size > size ||
            (size_t)(mem - buf) > size - info->mem_size) {
            fz_fail("s390dump_parse OK but memory image [%p + 0x%llx) outside [%p + 0x%zx)",
                    (const void *)mem, (unsigned long long)info->mem_size, (void *)buf, size);
        }
        volatile uint8_t sink = 0;
        if (info->mem_size) {
            sink ^= mem[0];
            sink ^= mem[info->mem_size - 1];
        }
        (void)sink;
    }
    free(info);
    free(buf);
    return 0;
}
