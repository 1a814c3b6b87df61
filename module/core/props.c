/* props.c - reading and validating orgfig_value and orgfig_prop (see props.h). */
#include "props.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

orgfig_loc
orgfig_loc_arg(const char *fn, const char *name, size_t index)
{
    orgfig_loc l;
    l.fn = fn;
    snprintf(l.name, sizeof l.name, "%s", name);
    l.where = ORGFIG_WHERE_ARG;
    l.index = index;
    return l;
}

orgfig_loc
orgfig_loc_prop(const char *fn, const orgfig_prop *props, size_t index)
{
    orgfig_loc l;
    l.fn = fn;
    snprintf(l.name, sizeof l.name, ":%.40s", props[index].key);
    l.where = ORGFIG_WHERE_PROP;
    l.index = index;
    return l;
}

long
orgfig_prop_find(const orgfig_prop *props, size_t n, const char *key)
{
    for (size_t i = n; i-- > 0;)
        if (props[i].key && strcmp(props[i].key, key) == 0)
            return (long)i;
    return -1;
}

static bool
in_list(const char *const *list, const char *key)
{
    for (; list && *list; list++)
        if (strcmp(*list, key) == 0)
            return true;
    return false;
}

static void
append_keys(char *buf, size_t size, const char *const *list)
{
    for (; list && *list; list++) {
        size_t len = strlen(buf);
        if (len + 1 >= size)
            return;
        snprintf(buf + len, size - len, "%s:%s", len ? " " : "", *list);
    }
}

orgfig_status
orgfig_props_check(const char *fn, const orgfig_prop *props, size_t n,
                   const char *const *common, const char *const *specific,
                   orgfig_err *err)
{
    for (size_t i = 0; i < n; i++) {
        const char *key = props[i].key ? props[i].key : "";
        if (in_list(common, key) || in_list(specific, key))
            continue;
        char known[360] = "";
        append_keys(known, sizeof known, specific);
        append_keys(known, sizeof known, common);
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: unknown property :%.60s (known: %s)", fn, key, known);
    }
    return ORGFIG_OK;
}

const char *
orgfig_value_kind(const orgfig_value *v)
{
    switch (v->type) {
    case ORGFIG_V_NIL:
        return "nil";
    case ORGFIG_V_T:
        return "t";
    case ORGFIG_V_NUM:
        return "a number";
    case ORGFIG_V_STR:
        return "a string";
    case ORGFIG_V_SYM:
        return "a symbol";
    case ORGFIG_V_COL:
        return "a sequence of numbers";
    case ORGFIG_V_LIST:
        return "a list";
    case ORGFIG_V_OTHER:
        return "another kind of object";
    }
    return "an unknown value";
}

orgfig_status
orgfig_val_number(const orgfig_value *v, const orgfig_loc *l, double lo, double hi,
                  double *out, orgfig_err *err)
{
    if (v->type != ORGFIG_V_NUM)
        return orgfig_fail_type(err, "numberp", l->where, l->index,
                                "%s: %s must be a number, got %s", l->fn, l->name,
                                orgfig_value_kind(v));
    if (!isfinite(v->num) || v->num < lo || v->num > hi)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: %s must be a number in [%g, %g], got %g", l->fn, l->name,
                           lo, hi, v->num);
    *out = v->num;
    return ORGFIG_OK;
}

orgfig_status
orgfig_val_int(const orgfig_value *v, const orgfig_loc *l, long lo, long hi, long *out,
               orgfig_err *err)
{
    if (v->type != ORGFIG_V_NUM)
        return orgfig_fail_type(err, "integerp", l->where, l->index,
                                "%s: %s must be an integer, got %s", l->fn, l->name,
                                orgfig_value_kind(v));
    if (!isfinite(v->num) || v->num != floor(v->num) || v->num < (double)lo ||
        v->num > (double)hi)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: %s must be an integer in [%ld, %ld], got %g", l->fn,
                           l->name, lo, hi, v->num);
    *out = (long)v->num;
    return ORGFIG_OK;
}

orgfig_status
orgfig_val_bool(const orgfig_value *v, const orgfig_loc *l, bool *out, orgfig_err *err)
{
    (void)l;
    (void)err;
    *out = v->type != ORGFIG_V_NIL;
    return ORGFIG_OK;
}

orgfig_status
orgfig_val_enum(const orgfig_value *v, const orgfig_loc *l, const char *const *names,
                int *out, orgfig_err *err)
{
    const char *s;
    size_t len;
    if (v->type == ORGFIG_V_NIL) {
        s = "nil";
        len = 3;
    } else if (v->type == ORGFIG_V_T) {
        s = "t";
        len = 1;
    } else if (v->type == ORGFIG_V_SYM || v->type == ORGFIG_V_STR) {
        s = v->str ? v->str : "";
        len = v->len;
    } else {
        return orgfig_fail_type(err, "symbolp", l->where, l->index,
                                "%s: %s must be a symbol, got %s", l->fn, l->name,
                                orgfig_value_kind(v));
    }
    for (int i = 0; names[i]; i++) {
        if (strlen(names[i]) == len && strncasecmp(names[i], s, len) == 0) {
            *out = i;
            return ORGFIG_OK;
        }
    }
    char known[256] = "";
    for (int i = 0; names[i]; i++) {
        size_t k = strlen(known);
        snprintf(known + k, sizeof known - k, "%s%s", i ? ", " : "", names[i]);
    }
    return orgfig_fail(err, ORGFIG_E_INVALID, "%s: %s must be one of %s, got %.*s", l->fn,
                       l->name, known, (int)(len > 60 ? 60 : len), s);
}

bool
orgfig_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned cp;
        if ((c & 0xe0) == 0xc0) {
            n = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n >= len - i)
            return false;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        /* Overlong forms, surrogates and values past U+10FFFF. */
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
            return false;
        i += n + 1;
    }
    return true;
}

orgfig_status
orgfig_val_string(const orgfig_value *v, const orgfig_loc *l, orgfig_meter *meter,
                  bool allow_sym, bool allow_num, char **out, orgfig_err *err)
{
    if (v->type == ORGFIG_V_NUM && allow_num) {
        char buf[64];
        if (v->is_int)
            snprintf(buf, sizeof buf, "%.0f", v->num);
        else
            snprintf(buf, sizeof buf, "%g", v->num);
        char *s = orgfig_strndup(meter, buf, strlen(buf), err);
        if (s == NULL)
            return err ? err->status : ORGFIG_E_NOMEM;
        *out = s;
        return ORGFIG_OK;
    }
    if (!(v->type == ORGFIG_V_STR || (allow_sym && v->type == ORGFIG_V_SYM)))
        return orgfig_fail_type(err, "stringp", l->where, l->index,
                                "%s: %s must be a string, got %s", l->fn, l->name,
                                orgfig_value_kind(v));
    const char *str = v->str ? v->str : "";
    if (!orgfig_utf8_valid(str, v->len))
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: %s must be valid UTF-8 text without NUL characters",
                           l->fn, l->name);
    char *s = orgfig_strndup(meter, str, v->len, err);
    if (s == NULL)
        return err ? err->status : ORGFIG_E_NOMEM;
    *out = s;
    return ORGFIG_OK;
}

orgfig_status
orgfig_val_color(const orgfig_value *v, const orgfig_loc *l, orgfig_rgba *out,
                 orgfig_err *err)
{
    if (v->type != ORGFIG_V_STR && v->type != ORGFIG_V_SYM)
        return orgfig_fail_type(
            err, "stringp", l->where, l->index,
            "%s: %s must be a color name or \"#rrggbb\" string, got %s", l->fn, l->name,
            orgfig_value_kind(v));
    const char *s = v->str ? v->str : "";
    if (memchr(s, 0, v->len))
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: %s must not contain NUL characters", l->fn, l->name);
    return orgfig_color_parse(s, v->len, out, l->fn, l->name, err);
}

orgfig_status
orgfig_val_column(const orgfig_value *v, const orgfig_loc *l, bool nonempty,
                  orgfig_column **out, orgfig_err *err)
{
    if (v->type != ORGFIG_V_COL || v->col == NULL) {
        if (v->type == ORGFIG_V_NIL && !nonempty) {
            *out = NULL;
            return ORGFIG_OK;
        }
        /* nil is also Lisp's empty list: where data is required, say so
         * as for [] rather than call it the wrong type. */
        if (v->type == ORGFIG_V_NIL)
            return orgfig_fail(err, ORGFIG_E_INVALID, "%s: %s is empty", l->fn, l->name);
        return orgfig_fail_type(err, "orgfig-data-p", l->where, l->index,
                                "%s: %s must be a sequence of numbers, got %s", l->fn,
                                l->name, orgfig_value_kind(v));
    }
    orgfig_column *c = v->col;
    if (nonempty) {
        if (c->n == 0)
            return orgfig_fail(err, ORGFIG_E_INVALID, "%s: %s is empty", l->fn, l->name);
        orgfig_column_summary(c);
        if (c->nfinite == 0)
            return orgfig_fail(
                err, ORGFIG_E_INVALID,
                "%s: %s has no finite values (all %zu are NaN or infinite)", l->fn,
                l->name, c->n);
    }
    *out = c;
    return ORGFIG_OK;
}

orgfig_status
orgfig_val_pair(const orgfig_value *v, const orgfig_loc *l, bool ordered, double *lo,
                double *hi, orgfig_err *err)
{
    double a, b;
    if (v->type == ORGFIG_V_COL && v->col) {
        if (v->col->n != 2)
            return orgfig_fail(
                err, ORGFIG_E_INVALID,
                "%s: %s must be a list of two numbers (LO HI), got %zu values", l->fn,
                l->name, v->col->n);
        a = orgfig_column_get(v->col, 0);
        b = orgfig_column_get(v->col, 1);
    } else if (v->type == ORGFIG_V_LIST && v->nitems == 2 &&
               v->items[0].type == ORGFIG_V_NUM && v->items[1].type == ORGFIG_V_NUM) {
        a = v->items[0].num;
        b = v->items[1].num;
    } else {
        return orgfig_fail_type(err, "listp", l->where, l->index,
                                "%s: %s must be a list of two numbers (LO HI), got %s",
                                l->fn, l->name, orgfig_value_kind(v));
    }
    if (!isfinite(a) || !isfinite(b) || a == b || (ordered && a > b))
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: %s must be two different finite numbers%s, got (%g %g)",
                           l->fn, l->name, ordered ? " with LO < HI" : "", a, b);
    *lo = a;
    *hi = b;
    return ORGFIG_OK;
}

void
orgfig_strings_free(char **s, size_t n)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        orgfig_free(s[i]);
    orgfig_free(s);
}

orgfig_status
orgfig_val_strings(const orgfig_value *v, const orgfig_loc *l, orgfig_meter *meter,
                   char ***out, size_t *n, orgfig_err *err)
{
    size_t count;
    if (v->type == ORGFIG_V_LIST)
        count = v->nitems;
    else if (v->type == ORGFIG_V_COL && v->col)
        count = v->col->n;
    else if (v->type == ORGFIG_V_NIL)
        count = 0;
    else
        return orgfig_fail_type(err, "orgfig-data-p", l->where, l->index,
                                "%s: %s must be a sequence of strings, got %s", l->fn,
                                l->name, orgfig_value_kind(v));
    char **s =
        orgfig_alloc_array(meter, count ? count : 1, sizeof *s, true, "labels", err);
    if (s == NULL)
        return err ? err->status : ORGFIG_E_NOMEM;
    for (size_t i = 0; i < count; i++) {
        orgfig_status st;
        if (v->type == ORGFIG_V_LIST) {
            orgfig_loc li = *l;
            snprintf(li.name, sizeof li.name, "element %zu of %.24s", i, l->name);
            st = orgfig_val_string(&v->items[i], &li, meter, true, true, &s[i], err);
        } else {
            orgfig_value num = {.type = ORGFIG_V_NUM,
                                .num = orgfig_column_get(v->col, i)};
            num.is_int = num.num == floor(num.num) && fabs(num.num) < 1e15;
            st = orgfig_val_string(&num, l, meter, false, true, &s[i], err);
        }
        if (st != ORGFIG_OK) {
            orgfig_strings_free(s, count);
            return st;
        }
    }
    *out = s;
    *n = count;
    return ORGFIG_OK;
}
