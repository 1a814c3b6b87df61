/* fuzz_color.c - libFuzzer target: arbitrary bytes as color and colormap
 * names.
 *
 * The whole input is parsed as a color and as a colormap name (the parsers
 * must never read past SIZE: libFuzzer's buffer ends exactly there, so
 * ASan catches any overread), and so is every prefix split at the first
 * byte 0x01, which reaches the "tab:", "#" and "CN" paths with short
 * inputs.  A parsed colormap is sampled at a double taken from the input.
 * Nothing may crash, every failure must be ORGFIG_E_INVALID with a
 * NUL-terminated message naming the caller, and no counted byte may stay
 * allocated. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../../module/core/alloc.h"
#include "../../module/core/color.h"

static void
check(int cond)
{
    if (!cond)
        __builtin_trap();
}

static void
parse_all(const char *s, size_t len, double t)
{
    orgfig_rgba c = {0, 0, 0, 0};
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_status st = orgfig_color_parse(s, len, &c, "orgfig-fuzz", ":color", &err);
    if (st == ORGFIG_OK) {
        check(c.r >= 0 && c.r <= 1 && c.g >= 0 && c.g <= 1 && c.b >= 0 && c.b <= 1);
        check(c.a >= 0 && c.a <= 1);
    } else {
        check(st == ORGFIG_E_INVALID && err.status == st);
        check(memchr(err.msg, '\0', sizeof err.msg) != NULL);
        check(strstr(err.msg, "orgfig-fuzz") != NULL);
    }
    orgfig_cmap cm;
    orgfig_err err2 = ORGFIG_ERR_INIT;
    st = orgfig_cmap_parse(s, len, &cm, "orgfig-fuzz", ":cmap", &err2);
    if (st == ORGFIG_OK) {
        orgfig_rgba x = orgfig_cmap_at(cm, t);
        check(isnan(t) ? x.a == 0 : (x.a == 1 && x.r >= 0 && x.r <= 1));
        uint32_t lut[256];
        orgfig_cmap_lut(cm, lut);
        check((lut[0] >> 24) == 0xff);
    } else {
        check(st == ORGFIG_E_INVALID && strstr(err2.msg, "viridis") != NULL);
    }
    check(orgfig_luminance(c) >= 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t before = orgfig_memory_stats().bytes;
    double t = 0.5;
    if (size >= sizeof t)
        memcpy(&t, data + size - sizeof t, sizeof t);
    parse_all((const char *)data, size, t);
    const uint8_t *sep = memchr(data, 0x01, size);
    if (sep)
        parse_all((const char *)data, (size_t)(sep - data), t);
    (void)orgfig_cycle_color(size);
    check(orgfig_memory_stats().bytes == before);
    return 0;
}
