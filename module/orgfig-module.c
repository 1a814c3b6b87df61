/* orgfig-module.c - the Emacs adapter: the only file that includes
 * emacs-module.h.
 *
 * It turns Lisp values into core calls (module/core/) and core failures into
 * Lisp signals.  Everything else - figures, layout, rendering, encoding,
 * data reading, accounting - lives in the core, which knows nothing of
 * Emacs.
 *
 * Invariants of this file:
 *
 * 1. Finalizers never call Emacs.  They only free core objects (no env, no
 *    global refs, no Lisp), and they are cheap.
 * 2. Every Lisp object that claims to be a figure, dataset or column goes
 *    through get_object (): it must be a user-ptr whose finalizer is ours
 *    for that type AND whose struct carries that type's magic number.  The
 *    pointer itself is never trusted.
 * 3. After every env call whose result is used, a pending non-local exit is
 *    checked (CHECK_EXIT) and the function cleans up and returns NULL.  No
 *    NULL emacs_value is ever returned without a pending exit.  The one
 *    batched case, floats read from a vector (convert_vector), relies on
 *    the documented saturation (with an exit pending every env call returns
 *    at once): it checks once per PACK_BLOCK values and, if an exit is
 *    pending, clears it and reads that block again value by value.
 * 4. No env call happens while core state is inconsistent: the core
 *    finishes each operation before we call back into Lisp.  The only calls
 *    into Lisp during a core operation are the poll and progress callbacks
 *    of long work, made while the object is marked busy, so re-entrant use
 *    fails with orgfig-busy instead of corrupting it.
 * 5. No longjmp crosses an Emacs frame: libpng's setjmp lives inside
 *    core/png.c, which returns a status.
 * 6. Sizes from Lisp are range-checked before narrowing, and nothing is
 *    sized by Lisp input on the stack (no VLAs); temporary memory for one
 *    call lives in a `scratch' list freed on every exit path.
 * 7. emacs_module_init is idempotent: a second load re-provides the feature
 *    and rebinds the functions but creates no new global references.
 * 8. Emacs is only ever called from the thread that called us.  The core's
 *    one use of threads (core/png.c deflating a large image in bands)
 *    starts them with every signal blocked, gives them no Emacs state and
 *    no allocator work, and joins them before orgfig_png_encode returns.
 */
#include <emacs-module.h>

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/column.h"
#include "core/data.h"
#include "core/figure.h"
#include "core/value.h"

#define ORGFIG_EXPORT __attribute__((visibility("default")))

ORGFIG_EXPORT int plugin_is_GPL_compatible;

/* ---------------------------------------------------------------------- */
/* Cached symbols (global references made once in init).                   */

static bool initialized;

static emacs_value Qnil, Qt, Qlist, Qfloat, Qsymbol_name, Qvconcat, Quser_ptr, Qinteger,
    Qfloat_type, Qvector, Qstring, Qsymbol, Qcons, Qwrong_type_argument,
    Qorgfig_invalid_data, Qorgfig_closed_figure, Qorgfig_memory_limit,
    Qorgfig_out_of_memory, Qorgfig_render_error, Qorgfig_file_error, Qorgfig_busy,
    Qorgfig_error, Qorgfig_figure_p, Qorgfig_progress, Qpng, Qsvg, Qpdf;

/* Counters for the finalizer tests: they are plain C integers. */
static uint64_t figures_finalized;

#define CHECK_EXIT(env) ((env)->non_local_exit_check(env) != emacs_funcall_exit_return)

static emacs_value
intern_global(emacs_env *env, const char *name)
{
    return env->make_global_ref(env, env->intern(env, name));
}

/* ---------------------------------------------------------------------- */
/* Signalling.                                                             */

static emacs_value
make_string(emacs_env *env, const char *s)
{
    return env->make_string(env, s, (ptrdiff_t)strlen(s));
}

/* Signal SYMBOL with data (MESSAGE . EXTRA) where EXTRA may be NULL. */
static void
signal_message(emacs_env *env, emacs_value symbol, const char *message, emacs_value extra)
{
    if (CHECK_EXIT(env))
        return;
    emacs_value msg = make_string(env, message);
    if (CHECK_EXIT(env))
        return;
    emacs_value args[2] = {msg, extra};
    emacs_value data = env->funcall(env, Qlist, extra ? 2 : 1, args);
    if (CHECK_EXIT(env))
        return;
    env->non_local_exit_signal(env, symbol, data);
}

static void
signal_wrong_type(emacs_env *env, emacs_value predicate, emacs_value value)
{
    if (CHECK_EXIT(env))
        return;
    emacs_value args[2] = {predicate, value};
    emacs_value data = env->funcall(env, Qlist, 2, args);
    if (!CHECK_EXIT(env))
        env->non_local_exit_signal(env, Qwrong_type_argument, data);
}

static emacs_value
status_symbol(orgfig_status s)
{
    switch (s) {
    case ORGFIG_E_NOMEM:
        return Qorgfig_out_of_memory;
    case ORGFIG_E_LIMIT:
        return Qorgfig_memory_limit;
    case ORGFIG_E_INVALID:
        return Qorgfig_invalid_data;
    case ORGFIG_E_CLOSED:
        return Qorgfig_closed_figure;
    case ORGFIG_E_RENDER:
    case ORGFIG_E_ENCODE:
        return Qorgfig_render_error;
    case ORGFIG_E_IO:
        return Qorgfig_file_error;
    case ORGFIG_E_BUSY:
        return Qorgfig_busy;
    case ORGFIG_OK:
    case ORGFIG_E_QUIT:
    case ORGFIG_E_TYPE:
        break;
    }
    return Qorgfig_error;
}

/* The Lisp values a core call was made with, so that a wrong-type error can
 * name the caller's own object. */
typedef struct call_values {
    emacs_value *args;
    ptrdiff_t nargs;
    emacs_value props; /* the property vector [k1 v1 k2 v2 ...] or NULL */
} call_values;

/* Turn the failure in ERR into a Lisp signal.  OBJ, when non-NULL, is the
 * object the call was about (added to the data of some errors). */
static void
signal_core_error(emacs_env *env, const orgfig_err *err, emacs_value obj,
                  const call_values *cv)
{
    if (CHECK_EXIT(env))
        return; /* e.g. a quit that process_input already made pending */
    switch (err->status) {
    case ORGFIG_OK:
        signal_message(env, Qorgfig_error,
                       "orgfig: internal error: failure without status", NULL);
        return;
    case ORGFIG_E_QUIT:
        /* The poll saw a quit; Emacs normally has it pending already.  */
        env->non_local_exit_signal(env, env->intern(env, "quit"), Qnil);
        return;
    case ORGFIG_E_TYPE: {
        emacs_value value = Qnil;
        if (cv && err->where == ORGFIG_WHERE_ARG && (ptrdiff_t)err->index < cv->nargs)
            value = cv->args[err->index];
        else if (cv && cv->props && err->where == ORGFIG_WHERE_PROP)
            value = env->vec_get(env, cv->props, (ptrdiff_t)(2 * err->index + 1));
        if (CHECK_EXIT(env))
            return;
        const char *pred = err->predicate ? err->predicate : "orgfig-valid-p";
        signal_wrong_type(env, env->intern(env, pred), value);
        return;
    }
    case ORGFIG_E_CLOSED:
    case ORGFIG_E_BUSY:
        signal_message(env, status_symbol(err->status), err->msg, obj);
        return;
    default:
        signal_message(env, status_symbol(err->status), err->msg, NULL);
        return;
    }
}

/* ---------------------------------------------------------------------- */
/* Typed user-pointers.                                                    */

static void
figure_finalizer(void *p)
{
    /* Runs during GC: core only, never Emacs (invariant 1). */
    if (orgfig_figure_check(p)) {
        figures_finalized++;
        orgfig_figure_free(p);
    }
}

static void
dataset_finalizer(void *p)
{
    if (orgfig_dataset_check(p))
        orgfig_dataset_free(p);
}

static void
column_finalizer(void *p)
{
    if (orgfig_column_check(p))
        orgfig_column_unref(p);
}

/* Is V a user-ptr with finalizer FIN?  Never signals. */
static bool
is_user_ptr_with(emacs_env *env, emacs_value v, emacs_finalizer fin)
{
    if (!env->eq(env, env->type_of(env, v), Quser_ptr))
        return false;
    emacs_finalizer f = env->get_user_finalizer(env, v);
    return !CHECK_EXIT(env) && f == fin;
}

/* The core object in V when V is a user-ptr with finalizer FIN whose
 * struct passes CHECK (its magic number), else NULL.  Never signals: the
 * pointer itself is never trusted (invariant 2). */
static void *
typed_ptr(emacs_env *env, emacs_value v, emacs_finalizer fin, bool (*check)(const void *))
{
    if (!is_user_ptr_with(env, v, fin))
        return NULL;
    void *p = env->get_user_ptr(env, v);
    return !CHECK_EXIT(env) && check(p) ? p : NULL;
}

/* The figure in V, or NULL with (wrong-type-argument orgfig-figure-p V)
 * pending.  Closed figures are returned: callers decide. */
static orgfig_figure *
get_figure(emacs_env *env, emacs_value v)
{
    orgfig_figure *f = typed_ptr(env, v, figure_finalizer, orgfig_figure_check);
    if (f == NULL && !CHECK_EXIT(env))
        signal_wrong_type(env, Qorgfig_figure_p, v);
    return f;
}

/* The open, idle figure in V for function FN, or NULL with a signal. */
static orgfig_figure *
usable_figure(emacs_env *env, emacs_value v, const char *fn)
{
    orgfig_figure *f = get_figure(env, v);
    if (f == NULL)
        return NULL;
    orgfig_err err = ORGFIG_ERR_INIT;
    if (orgfig_figure_usable(f, fn, &err) != ORGFIG_OK) {
        signal_core_error(env, &err, v, NULL);
        return NULL;
    }
    return f;
}

/* The dataset in V (open or closed), or NULL with
 * (wrong-type-argument orgfig-dataset-p V) pending. */
static orgfig_dataset *
get_dataset(emacs_env *env, emacs_value v)
{
    orgfig_dataset *ds = typed_ptr(env, v, dataset_finalizer, orgfig_dataset_check);
    if (ds == NULL && !CHECK_EXIT(env))
        signal_wrong_type(env, env->intern(env, "orgfig-dataset-p"), v);
    return ds;
}

static orgfig_column *
get_column_or_null(emacs_env *env, emacs_value v)
{
    return typed_ptr(env, v, column_finalizer, orgfig_column_check);
}

/* The column in V, or NULL with (wrong-type-argument orgfig-column-p V)
 * pending. */
static orgfig_column *
get_column(emacs_env *env, emacs_value v)
{
    orgfig_column *c = get_column_or_null(env, v);
    if (c == NULL && !CHECK_EXIT(env))
        signal_wrong_type(env, env->intern(env, "orgfig-column-p"), v);
    return c;
}

/* ---------------------------------------------------------------------- */
/* Scratch memory for one call (invariant 6).                              */

typedef struct scratch {
    void **blocks;
    size_t n, cap;
    orgfig_column **cols; /* references to drop */
    size_t ncols, capcols;
} scratch;

static void *
scratch_alloc(scratch *s, size_t count, size_t size, orgfig_err *err)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        void **b = orgfig_realloc_array(NULL, s->blocks, cap, sizeof *b, "scratch", err);
        if (b == NULL)
            return NULL;
        s->blocks = b;
        s->cap = cap;
    }
    void *p =
        orgfig_alloc_array(NULL, count ? count : 1, size, true, "call arguments", err);
    if (p)
        s->blocks[s->n++] = p;
    return p;
}

static bool
scratch_keep_column(scratch *s, orgfig_column *c, orgfig_err *err)
{
    if (s->ncols == s->capcols) {
        size_t cap = s->capcols ? 2 * s->capcols : 8;
        orgfig_column **b =
            orgfig_realloc_array(NULL, s->cols, cap, sizeof *b, "scratch", err);
        if (b == NULL) {
            orgfig_column_unref(c);
            return false;
        }
        s->cols = b;
        s->capcols = cap;
    }
    s->cols[s->ncols++] = c;
    return true;
}

static void
scratch_free(scratch *s)
{
    for (size_t i = 0; i < s->n; i++)
        orgfig_free(s->blocks[i]);
    for (size_t i = 0; i < s->ncols; i++)
        orgfig_column_unref(s->cols[i]);
    orgfig_free(s->blocks);
    orgfig_free(s->cols);
    memset(s, 0, sizeof *s);
}

/* ---------------------------------------------------------------------- */
/* Lisp values -> orgfig_value.                                            */

enum { MAX_NESTING = 4 };

/* Values of a numeric vector read between two checks for a pending
 * non-local exit (convert_vector). */
enum { PACK_BLOCK = 256 };

/* Signal the allocation failure in ERR (if any) and return false. */
static bool
fail_alloc(emacs_env *env, const orgfig_err *err)
{
    signal_core_error(env, err, NULL, NULL);
    return false;
}

/* Copy the Lisp string V into scratch memory as UTF-8. */
static bool
convert_string(emacs_env *env, emacs_value v, scratch *s, const char **out, size_t *len)
{
    ptrdiff_t size = 0;
    if (!env->copy_string_contents(env, v, NULL, &size) || CHECK_EXIT(env))
        return false;
    orgfig_err err = ORGFIG_ERR_INIT;
    char *buf = scratch_alloc(s, (size_t)size, 1, &err);
    if (buf == NULL)
        return fail_alloc(env, &err);
    if (!env->copy_string_contents(env, v, buf, &size) || CHECK_EXIT(env))
        return false;
    *out = buf;
    *len = (size_t)size - 1;
    return true;
}

/* Read the number V into *OUT; false (no signal) if V is not a number.
 * *INT_HINT predicts the type to try first and is updated. */
static bool
read_number(emacs_env *env, emacs_value v, bool *int_hint, double *out)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        bool as_int = *int_hint ^ (attempt == 1);
        if (as_int) {
            intmax_t i = env->extract_integer(env, v);
            if (!CHECK_EXIT(env)) {
                *out = (double)i;
                *int_hint = true;
                return true;
            }
            emacs_value sym, data;
            enum emacs_funcall_exit kind = env->non_local_exit_get(env, &sym, &data);
            env->non_local_exit_clear(env);
            if (kind == emacs_funcall_exit_signal &&
                env->eq(env, sym, env->intern(env, "overflow-error"))) {
                /* A bignum: convert through `float' (it may become inf). */
                emacs_value f = env->funcall(env, Qfloat, 1, &v);
                if (CHECK_EXIT(env))
                    return false;
                *out = env->extract_float(env, f);
                return !CHECK_EXIT(env);
            }
        } else {
            double d = env->extract_float(env, v);
            if (!CHECK_EXIT(env)) {
                *out = d;
                *int_hint = false;
                return true;
            }
            env->non_local_exit_clear(env);
        }
    }
    return false;
}

static bool convert_value(emacs_env *env, emacs_value v, scratch *s, int depth,
                          orgfig_value *out);

/* Convert a Lisp vector: all numbers -> a column; otherwise a list of
 * values. */
static bool
convert_vector(emacs_env *env, emacs_value v, scratch *s, int depth, orgfig_value *out)
{
    ptrdiff_t n = env->vec_size(env, v);
    if (CHECK_EXIT(env))
        return false;
    orgfig_err err = ORGFIG_ERR_INIT;
    bool numeric = true;
    bool hint = false;
    double first = 0;
    emacs_value e0 = NULL;
    if (n > 0) {
        e0 = env->vec_get(env, v, 0);
        if (CHECK_EXIT(env))
            return false;
        numeric = read_number(env, e0, &hint, &first);
        if (CHECK_EXIT(env))
            return false;
    }
    if (numeric) {
        orgfig_column *c = orgfig_column_new((size_t)n, ORGFIG_F64, &err);
        if (c == NULL || !scratch_keep_column(s, c, &err))
            return fail_alloc(env, &err);
        double *d = c->data;
        if (n > 0)
            d[0] = first;
        for (ptrdiff_t i0 = 1; i0 < n; i0 += PACK_BLOCK) {
            ptrdiff_t i1 = n - i0 < PACK_BLOCK ? n : i0 + PACK_BLOCK;
            if (!hint) {
                /* Floats expected: a block without per-value checks.
                 * Once an extraction fails every later env call of the
                 * block returns at once, so one check at its end finds
                 * out; then the block is read again value by value. */
                for (ptrdiff_t i = i0; i < i1; i++)
                    d[i] = env->extract_float(env, env->vec_get(env, v, i));
                if (env->non_local_exit_check(env) == emacs_funcall_exit_return)
                    continue;
                env->non_local_exit_clear(env);
            }
            for (ptrdiff_t i = i0; i < i1; i++) {
                emacs_value e = env->vec_get(env, v, i);
                if (CHECK_EXIT(env))
                    return false;
                if (!read_number(env, e, &hint, &d[i])) {
                    if (!CHECK_EXIT(env))
                        signal_wrong_type(env, env->intern(env, "numberp"), e);
                    return false;
                }
            }
        }
        *out = (orgfig_value){.type = ORGFIG_V_COL, .col = c};
        return true;
    }
    if (depth >= MAX_NESTING) {
        /* Only numbers are allowed this deep (e.g. in `orgfig-pack'). */
        signal_wrong_type(env, env->intern(env, "numberp"), e0);
        return false;
    }
    orgfig_value *items = scratch_alloc(s, (size_t)n, sizeof *items, &err);
    if (items == NULL)
        return fail_alloc(env, &err);
    for (ptrdiff_t i = 0; i < n; i++) {
        emacs_value e = env->vec_get(env, v, i);
        if (CHECK_EXIT(env) || !convert_value(env, e, s, depth + 1, &items[i]))
            return false;
    }
    *out = (orgfig_value){.type = ORGFIG_V_LIST, .items = items, .nitems = (size_t)n};
    return true;
}

/* Convert any Lisp value the API accepts.  Lists must have been turned
 * into vectors by the Lisp side (which also rejects circular lists). */
static bool
convert_value(emacs_env *env, emacs_value v, scratch *s, int depth, orgfig_value *out)
{
    memset(out, 0, sizeof *out);
    if (!env->is_not_nil(env, v)) {
        out->type = ORGFIG_V_NIL;
        return true;
    }
    if (env->eq(env, v, Qt)) {
        out->type = ORGFIG_V_T;
        return true;
    }
    emacs_value type = env->type_of(env, v);
    if (CHECK_EXIT(env))
        return false;
    if (env->eq(env, type, Qinteger) || env->eq(env, type, Qfloat_type)) {
        bool hint = env->eq(env, type, Qinteger);
        out->type = ORGFIG_V_NUM;
        out->is_int = hint;
        if (!read_number(env, v, &hint, &out->num)) {
            if (!CHECK_EXIT(env))
                signal_wrong_type(env, env->intern(env, "numberp"), v);
            return false;
        }
        return true;
    }
    if (env->eq(env, type, Qstring)) {
        out->type = ORGFIG_V_STR;
        return convert_string(env, v, s, &out->str, &out->len);
    }
    if (env->eq(env, type, Qsymbol)) {
        emacs_value name = env->funcall(env, Qsymbol_name, 1, &v);
        if (CHECK_EXIT(env))
            return false;
        out->type = ORGFIG_V_SYM;
        return convert_string(env, name, s, &out->str, &out->len);
    }
    if (env->eq(env, type, Qvector))
        return convert_vector(env, v, s, depth, out);
    if (env->eq(env, type, Quser_ptr)) {
        orgfig_column *c = get_column_or_null(env, v);
        if (c) {
            out->type = ORGFIG_V_COL;
            out->col = c;
            return true;
        }
    }
    if (env->eq(env, type, Qcons)) {
        /* Defensive: the Lisp layer converts lists; do it here too. */
        emacs_value vec = env->funcall(env, Qvconcat, 1, &v);
        if (CHECK_EXIT(env))
            return false;
        return convert_vector(env, vec, s, depth, out);
    }
    /* Anything else: the core reports it as a value of the wrong type, with
     * the predicate the argument or property expects. */
    out->type = ORGFIG_V_OTHER;
    return true;
}

/* Convert the property vector PROPS = [:k1 v1 :k2 v2 ...] (or nil). */
static bool
convert_props(emacs_env *env, emacs_value props, scratch *s, orgfig_prop **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!env->is_not_nil(env, props))
        return true;
    if (!env->eq(env, env->type_of(env, props), Qvector)) {
        signal_wrong_type(env, env->intern(env, "vectorp"), props);
        return false;
    }
    ptrdiff_t len = env->vec_size(env, props);
    if (CHECK_EXIT(env))
        return false;
    if (len % 2 != 0) {
        signal_message(env, Qorgfig_invalid_data,
                       "orgfig: property list has an odd number of elements", props);
        return false;
    }
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop *p = scratch_alloc(s, (size_t)(len / 2), sizeof *p, &err);
    if (p == NULL)
        return fail_alloc(env, &err);
    for (ptrdiff_t i = 0; i < len / 2; i++) {
        emacs_value k = env->vec_get(env, props, 2 * i);
        emacs_value v = env->vec_get(env, props, 2 * i + 1);
        if (CHECK_EXIT(env))
            return false;
        orgfig_value kv;
        if (!convert_value(env, k, s, MAX_NESTING, &kv))
            return false;
        if (kv.type != ORGFIG_V_SYM || kv.len < 2 || kv.str[0] != ':') {
            signal_wrong_type(env, env->intern(env, "keywordp"), k);
            return false;
        }
        p[i].key = kv.str + 1;
        if (!convert_value(env, v, s, 0, &p[i].val))
            return false;
    }
    *out = p;
    *n = (size_t)(len / 2);
    return true;
}

/* ---------------------------------------------------------------------- */
/* Module functions.                                                       */

#define UNUSED __attribute__((unused))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static emacs_value column_object(emacs_env *env, orgfig_column *c);

/* (orgfig--mod-figure-new PROPS) */
static emacs_value
Forgfig_figure_new(emacs_env *env, ptrdiff_t nargs, emacs_value *args, void *data UNUSED)
{
    scratch s = {0};
    orgfig_prop *props;
    size_t nprops;
    emacs_value result = NULL;
    if (convert_props(env, nargs > 0 ? args[0] : Qnil, &s, &props, &nprops)) {
        orgfig_err err = ORGFIG_ERR_INIT;
        orgfig_figure *f = orgfig_figure_new(props, nprops, &err);
        if (f == NULL) {
            call_values cv = {NULL, 0, nargs > 0 ? args[0] : NULL};
            signal_core_error(env, &err, NULL, &cv);
        } else {
            result = env->make_user_ptr(env, figure_finalizer, f);
            if (CHECK_EXIT(env)) {
                orgfig_figure_free(f);
                result = NULL;
            }
        }
    }
    scratch_free(&s);
    return result;
}

/* (orgfig--mod-figure-p OBJ): t for any figure, open or closed. */
static emacs_value
Forgfig_figure_p(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                 void *data UNUSED)
{
    void *p = typed_ptr(env, args[0], figure_finalizer, orgfig_figure_check);
    return p ? Qt : CHECK_EXIT(env) ? NULL : Qnil;
}

/* (orgfig--mod-live-p FIG) */
static emacs_value
Forgfig_live_p(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
               void *data UNUSED)
{
    orgfig_figure *f = get_figure(env, args[0]);
    if (f == NULL)
        return NULL;
    return orgfig_figure_is_open(f) ? Qt : Qnil;
}

/* (orgfig--mod-close FIG): idempotent. */
static emacs_value
Forgfig_close(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
              void *data UNUSED)
{
    orgfig_figure *f = get_figure(env, args[0]);
    if (f == NULL)
        return NULL;
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_status st = orgfig_figure_usable(f, "orgfig-close", &err);
    if (st == ORGFIG_E_BUSY) {
        signal_core_error(env, &err, args[0], NULL);
        return NULL;
    }
    orgfig_figure_close(f);
    return Qnil;
}

/* (orgfig--mod-set FIG PROPS) */
static emacs_value
Forgfig_set(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args, void *data UNUSED)
{
    orgfig_figure *f = usable_figure(env, args[0], "orgfig-set");
    if (f == NULL)
        return NULL;
    scratch s = {0};
    orgfig_prop *props;
    size_t nprops;
    emacs_value result = NULL;
    if (convert_props(env, args[1], &s, &props, &nprops)) {
        orgfig_err err = ORGFIG_ERR_INIT;
        if (orgfig_figure_set(f, props, nprops, &err) == ORGFIG_OK) {
            result = args[0];
        } else {
            call_values cv = {NULL, 0, args[1]};
            signal_core_error(env, &err, args[0], &cv);
        }
    }
    scratch_free(&s);
    return result;
}

/* (orgfig--mod-plot FIG KIND ARGS PROPS): KIND is a symbol such as `line',
 * ARGS a vector of the positional arguments. */
static emacs_value
Forgfig_plot(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args, void *data UNUSED)
{
    scratch s = {0};
    orgfig_value kindv;
    if (!convert_value(env, args[1], &s, MAX_NESTING, &kindv)) {
        scratch_free(&s);
        return NULL;
    }
    int kind =
        kindv.type == ORGFIG_V_SYM ? orgfig_kind_from_name(kindv.str, kindv.len) : -1;
    scratch_free(&s);
    if (kind < 0) {
        signal_message(env, Qorgfig_invalid_data, "orgfig: unknown plot kind", args[1]);
        return NULL;
    }
    char fn[64];
    snprintf(fn, sizeof fn, "orgfig-%s", orgfig_kind_name((orgfig_kind)kind));
    orgfig_figure *f = usable_figure(env, args[0], fn);
    if (f == NULL)
        return NULL;
    if (!env->eq(env, env->type_of(env, args[2]), Qvector)) {
        signal_wrong_type(env, env->intern(env, "vectorp"), args[2]);
        return NULL;
    }
    ptrdiff_t n = env->vec_size(env, args[2]);
    if (CHECK_EXIT(env))
        return NULL;
    if (n < 0 || (size_t)n != orgfig_kind_nargs((orgfig_kind)kind)) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s: takes %zu data arguments, got %td", fn,
                 orgfig_kind_nargs((orgfig_kind)kind), n);
        signal_message(env, Qorgfig_invalid_data, msg, NULL);
        return NULL;
    }
    emacs_value result = NULL;
    emacs_value lisp_args[8];
    orgfig_value vals[8];
    orgfig_prop *props;
    size_t nprops;
    orgfig_err err = ORGFIG_ERR_INIT;
    if (n > 8) {
        signal_message(env, Qorgfig_invalid_data, "orgfig: too many data arguments",
                       NULL);
        return NULL;
    }
    for (ptrdiff_t i = 0; i < n; i++) {
        lisp_args[i] = env->vec_get(env, args[2], i);
        if (CHECK_EXIT(env) || !convert_value(env, lisp_args[i], &s, 0, &vals[i]))
            goto out;
    }
    if (!convert_props(env, args[3], &s, &props, &nprops))
        goto out;
    /* Converting the data called Lisp; check the figure is still usable. */
    if (orgfig_figure_usable(f, fn, &err) != ORGFIG_OK) {
        signal_core_error(env, &err, args[0], NULL);
        goto out;
    }
    if (orgfig_figure_plot(f, (orgfig_kind)kind, vals, (size_t)n, props, nprops, &err) ==
        ORGFIG_OK) {
        result = args[0];
    } else {
        call_values cv = {lisp_args, n, args[3]};
        signal_core_error(env, &err, args[0], &cv);
    }
out:
    scratch_free(&s);
    return result;
}

/* Poll and progress callbacks for long renders (invariant 4). */
typedef struct poll_ctx {
    emacs_env *env;
    unsigned calls;
} poll_ctx;

static bool
poll_quit(void *ctx)
{
    poll_ctx *pc = ctx;
    pc->calls++;
    return pc->env->process_input(pc->env) == emacs_process_input_quit;
}

static void
report_progress(void *ctx, double fraction)
{
    poll_ctx *pc = ctx;
    emacs_env *env = pc->env;
    if (CHECK_EXIT(env))
        return;
    emacs_value v = env->make_float(env, fraction);
    if (CHECK_EXIT(env))
        return;
    env->funcall(env, Qorgfig_progress, 1, &v);
    /* A failing progress reporter must not stop the render. */
    if (CHECK_EXIT(env))
        env->non_local_exit_clear(env);
}

/* (orgfig--mod-render FIG FORMAT LEVEL SMALL) -> unibyte string. */
static emacs_value
Forgfig_render(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
               void *data UNUSED)
{
    orgfig_figure *f = usable_figure(env, args[0], "orgfig-render");
    if (f == NULL)
        return NULL;
    orgfig_render_opts opts = {.format = ORGFIG_FORMAT_PNG, .png_level = -1};
    if (env->eq(env, args[1], Qsvg))
        opts.format = ORGFIG_FORMAT_SVG;
    else if (env->eq(env, args[1], Qpdf))
        opts.format = ORGFIG_FORMAT_PDF;
    else if (env->is_not_nil(env, args[1]) && !env->eq(env, args[1], Qpng)) {
        signal_message(env, Qorgfig_invalid_data,
                       "orgfig-render: FORMAT must be png, svg or pdf", args[1]);
        return NULL;
    }
    if (env->is_not_nil(env, args[2])) {
        intmax_t level = env->extract_integer(env, args[2]);
        if (CHECK_EXIT(env))
            return NULL;
        if (level < 0 || level > 9) {
            signal_message(env, Qorgfig_invalid_data,
                           "orgfig-render: LEVEL must be an integer from 0 to 9",
                           args[2]);
            return NULL;
        }
        opts.png_level = (int)level;
    }
    opts.png_small = env->is_not_nil(env, args[3]);
    poll_ctx pc = {env, 0};
    opts.poll = poll_quit;
    opts.progress = report_progress;
    opts.ctx = &pc;

    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    orgfig_err err = ORGFIG_ERR_INIT;
    if (orgfig_figure_render(f, &opts, &out, &err) != ORGFIG_OK) {
        orgfig_buf_free(&out);
        signal_core_error(env, &err, args[0], NULL);
        return NULL;
    }
    emacs_value str = NULL;
    if (out.len > (size_t)PTRDIFF_MAX)
        signal_message(env, Qorgfig_render_error, "orgfig-render: output too large",
                       NULL);
    else
        str = env->make_unibyte_string(env, (const char *)out.data, (ptrdiff_t)out.len);
    orgfig_buf_free(&out);
    return CHECK_EXIT(env) ? NULL : str;
}

static emacs_value
make_int(emacs_env *env, uint64_t v)
{
    return env->make_integer(env, v > INTMAX_MAX ? INTMAX_MAX : (intmax_t)v);
}

/* Build a plist from NAMES and VALUES (N pairs). */
static emacs_value
make_plist(emacs_env *env, size_t n, const char *const *names, emacs_value *values)
{
    emacs_value items[32];
    if (n > ARRAY_SIZE(items) / 2)
        n = ARRAY_SIZE(items) / 2;
    for (size_t i = 0; i < n; i++) {
        items[2 * i] = env->intern(env, names[i]);
        items[2 * i + 1] = values[i];
    }
    emacs_value r = env->funcall(env, Qlist, (ptrdiff_t)(2 * n), items);
    return CHECK_EXIT(env) ? NULL : r;
}

/* (orgfig--mod-info FIG) -> plist; works on closed figures too. */
static emacs_value
Forgfig_info(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args, void *data UNUSED)
{
    orgfig_figure *f = get_figure(env, args[0]);
    if (f == NULL)
        return NULL;
    int w = 0, h = 0;
    double scale = 1;
    orgfig_figure_size(f, &w, &h, &scale);
    const char *title = orgfig_figure_title(f);
    static const char *const names[] = {":id",    ":width",   ":height", ":scale",
                                        ":bytes", ":artists", ":title",  ":live"};
    emacs_value vals[] = {
        make_int(env, orgfig_figure_id(f)),
        env->make_integer(env, w),
        env->make_integer(env, h),
        env->make_float(env, scale),
        make_int(env, orgfig_figure_bytes(f)),
        make_int(env, orgfig_figure_nartists(f)),
        env->make_string(env, title, (ptrdiff_t)strlen(title)),
        orgfig_figure_is_open(f) ? Qt : Qnil,
    };
    _Static_assert(ARRAY_SIZE(names) == ARRAY_SIZE(vals), "one value per key");
    if (CHECK_EXIT(env))
        return NULL;
    return make_plist(env, ARRAY_SIZE(names), names, vals);
}

/* (orgfig--mod-memory) -> plist of the core's counters. */
static emacs_value
Forgfig_memory(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args UNUSED,
               void *data UNUSED)
{
    orgfig_memstats st = orgfig_memory_stats();
    static const char *const names[] = {":figures",     ":datasets",   ":columns",
                                        ":bytes",       ":peak-bytes", ":limit",
                                        ":allocations", ":finalized"};
    emacs_value vals[] = {
        make_int(env, orgfig_figures_open()),
        make_int(env, orgfig_datasets_open()),
        make_int(env, orgfig_columns_live()),
        make_int(env, st.bytes),
        make_int(env, st.peak),
        st.limit ? make_int(env, st.limit) : Qnil,
        make_int(env, st.allocs),
        make_int(env, figures_finalized),
    };
    _Static_assert(ARRAY_SIZE(names) == ARRAY_SIZE(vals), "one value per key");
    if (CHECK_EXIT(env))
        return NULL;
    return make_plist(env, ARRAY_SIZE(names), names, vals);
}

/* (orgfig--mod-set-limit BYTES-OR-NIL) */
static emacs_value
Forgfig_set_limit(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                  void *data UNUSED)
{
    if (!env->is_not_nil(env, args[0])) {
        orgfig_memory_set_limit(0);
        return Qnil;
    }
    intmax_t v = env->extract_integer(env, args[0]);
    if (CHECK_EXIT(env))
        return NULL;
    if (v <= 0) {
        signal_message(env, Qorgfig_invalid_data,
                       "orgfig-memory-limit must be a positive number of bytes or nil",
                       args[0]);
        return NULL;
    }
    orgfig_memory_set_limit((uintmax_t)v > SIZE_MAX ? SIZE_MAX : (size_t)v);
    return Qnil;
}

/* (orgfig--mod-set-threads N) */
static emacs_value
Forgfig_set_threads(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                    void *data UNUSED)
{
    intmax_t v = env->extract_integer(env, args[0]);
    if (CHECK_EXIT(env))
        return NULL;
    if (v < 1 || v > ORGFIG_MAX_THREADS || !orgfig_render_set_threads((int)v)) {
        char msg[96];
        snprintf(msg, sizeof msg, "orgfig-render-threads must be an integer from 1 to %d",
                 ORGFIG_MAX_THREADS);
        signal_message(env, Qorgfig_invalid_data, msg, args[0]);
        return NULL;
    }
    return Qnil;
}

/* (orgfig--mod-reset-peak) */
static emacs_value
Forgfig_reset_peak(emacs_env *env UNUSED, ptrdiff_t nargs UNUSED,
                   emacs_value *args UNUSED, void *data UNUSED)
{
    orgfig_memory_reset_peak();
    return Qnil;
}

/* (orgfig--mod-pack SEQ TYPE) -> a column holding SEQ's numbers. */
static emacs_value
Forgfig_pack(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args, void *data UNUSED)
{
    scratch s = {0};
    orgfig_value v;
    emacs_value result = NULL;
    bool f32 = env->eq(env, args[1], env->intern(env, "float32"));
    bool time = env->eq(env, args[1], env->intern(env, "time"));
    if (env->is_not_nil(env, args[1]) && !f32 && !time &&
        !env->eq(env, args[1], env->intern(env, "float64"))) {
        signal_message(env, Qorgfig_invalid_data,
                       "orgfig-pack: TYPE must be float64, float32 or time", args[1]);
        return NULL;
    }
    if (!convert_value(env, args[0], &s, MAX_NESTING, &v))
        goto out;
    if (v.type != ORGFIG_V_COL) {
        signal_wrong_type(env, env->intern(env, "orgfig-data-p"), args[0]);
        goto out;
    }
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *c;
    /* A new column for float32, and for time when SEQ is a column already
     * (columns never change once published); else the converted one. */
    if (f32 || (time && get_column_or_null(env, args[0]))) {
        c = orgfig_column_new(v.col->n, f32 ? ORGFIG_F32 : ORGFIG_F64, &err);
        if (c)
            for (size_t i = 0; i < v.col->n; i++)
                orgfig_column_put(c, i, orgfig_column_get(v.col, i));
    } else {
        c = orgfig_column_ref(v.col);
    }
    if (c == NULL) {
        signal_core_error(env, &err, NULL, NULL);
        goto out;
    }
    c->time = time;
    result = column_object(env, c);
out:
    scratch_free(&s);
    return result;
}

/* (orgfig--mod-column-p OBJ) */
static emacs_value
Forgfig_column_p(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                 void *data UNUSED)
{
    return get_column_or_null(env, args[0]) ? Qt : (CHECK_EXIT(env) ? NULL : Qnil);
}

/* (orgfig--mod-column-info COL)
 * -> (:length N :type float64 :bytes B :name S :time BOOL) */
static emacs_value
Forgfig_column_info(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                    void *data UNUSED)
{
    orgfig_column *c = get_column(env, args[0]);
    if (c == NULL)
        return NULL;
    static const char *const names[] = {":length", ":type", ":bytes", ":name", ":time"};
    emacs_value vals[] = {
        make_int(env, c->n),
        env->intern(env, c->dtype == ORGFIG_F32 ? "float32" : "float64"),
        make_int(env, orgfig_column_bytes(c)),
        c->name ? env->make_string(env, c->name, (ptrdiff_t)strlen(c->name)) : Qnil,
        c->time ? Qt : Qnil,
    };
    _Static_assert(ARRAY_SIZE(names) == ARRAY_SIZE(vals), "one value per key");
    if (CHECK_EXIT(env))
        return NULL;
    return make_plist(env, ARRAY_SIZE(names), names, vals);
}

/* (orgfig--mod-column-values COL START END) -> vector of floats.  START
 * and END are integers with 0 <= START <= END <= the column's length. */
static emacs_value
Forgfig_column_values(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                      void *data UNUSED)
{
    orgfig_column *c = get_column(env, args[0]);
    if (c == NULL)
        return NULL;
    intmax_t start = env->extract_integer(env, args[1]);
    intmax_t end = env->extract_integer(env, args[2]);
    if (CHECK_EXIT(env))
        return NULL;
    if (start < 0 || start > end || (uintmax_t)end > c->n) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "orgfig-column-values: START %jd and END %jd are not a range of the "
                 "column's %zu values",
                 start, end, c->n);
        signal_message(env, Qorgfig_invalid_data, msg, NULL);
        return NULL;
    }
    emacs_value len = env->make_integer(env, end - start);
    emacs_value vec =
        env->funcall(env, env->intern(env, "make-vector"), 2, (emacs_value[]){len, Qnil});
    for (intmax_t i = start; i < end && !CHECK_EXIT(env); i++)
        env->vec_set(env, vec, i - start,
                     env->make_float(env, orgfig_column_get(c, (size_t)i)));
    return CHECK_EXIT(env) ? NULL : vec;
}

/* Wrap the core column C (one reference, which the object takes over) in a
 * user-ptr. */
static emacs_value
column_object(emacs_env *env, orgfig_column *c)
{
    emacs_value r = env->make_user_ptr(env, column_finalizer, c);
    if (CHECK_EXIT(env)) {
        orgfig_column_unref(c);
        return NULL;
    }
    return r;
}

static emacs_value
dataset_object(emacs_env *env, orgfig_dataset *ds)
{
    emacs_value r = env->make_user_ptr(env, dataset_finalizer, ds);
    if (CHECK_EXIT(env)) {
        orgfig_dataset_free(ds);
        return NULL;
    }
    return r;
}

/* Read an optional natural number argument V (nil: DEFAULT). */
static bool
get_size_arg(emacs_env *env, emacs_value v, size_t dflt, const char *what, size_t *out)
{
    if (!env->is_not_nil(env, v)) {
        *out = dflt;
        return true;
    }
    intmax_t i = env->extract_integer(env, v);
    if (CHECK_EXIT(env))
        return false;
    if (i < 0) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s must be a natural number", what);
        signal_message(env, Qorgfig_invalid_data, msg, v);
        return false;
    }
    *out = (uintmax_t)i > SIZE_MAX ? SIZE_MAX : (size_t)i;
    return true;
}

/* Read a one-character string argument V (nil: 0). */
static bool
get_char_arg(emacs_env *env, emacs_value v, scratch *s, const char *what, char *out)
{
    *out = 0;
    if (!env->is_not_nil(env, v))
        return true;
    const char *str;
    size_t len;
    if (!convert_string(env, v, s, &str, &len))
        return false;
    if (len != 1) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s must be a one-character string", what);
        signal_message(env, Qorgfig_invalid_data, msg, v);
        return false;
    }
    *out = str[0];
    return true;
}

/* (orgfig--mod-read-csv FILE DELIMITER HEADER COMMENT SELECT TYPE SKIP MAX
 *                       DECIMAL)
 * FILE is an encoded file name; SELECT a vector of strings and integers
 * or nil; TYPE float64 or float32. */
static emacs_value
Forgfig_read_csv(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                 void *data UNUSED)
{
    scratch s = {0};
    emacs_value result = NULL;
    orgfig_csv_opts opts = ORGFIG_CSV_OPTS_INIT;
    orgfig_err err = ORGFIG_ERR_INIT;
    const char *path;
    size_t plen;
    if (!convert_string(env, args[0], &s, &path, &plen))
        goto out;
    if (strlen(path) != plen) {
        signal_message(env, Qorgfig_invalid_data,
                       "orgfig-read-csv: FILE contains a NUL byte", args[0]);
        goto out;
    }
    if (!get_char_arg(env, args[1], &s, "orgfig-read-csv: :delimiter", &opts.delimiter))
        goto out;
    opts.header = env->is_not_nil(env, args[2]);
    if (!get_char_arg(env, args[3], &s, "orgfig-read-csv: :comment", &opts.comment))
        goto out;
    if (env->is_not_nil(env, args[4])) {
        orgfig_value sel;
        if (!convert_value(env, args[4], &s, 0, &sel))
            goto out;
        size_t n = sel.type == ORGFIG_V_COL ? sel.col->n : sel.nitems;
        orgfig_csv_select *picks = scratch_alloc(&s, n, sizeof *picks, &err);
        if (picks == NULL) {
            fail_alloc(env, &err);
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            const orgfig_value *it = sel.type == ORGFIG_V_LIST ? &sel.items[i] : NULL;
            double num = it ? it->num : orgfig_column_get(sel.col, i);
            if (it && it->type == ORGFIG_V_STR) {
                picks[i].name = it->str;
                picks[i].len = it->len;
            } else if ((!it || it->type == ORGFIG_V_NUM) && num == floor(num) &&
                       num >= 0 && num < 1e15) {
                picks[i].index = (int64_t)num;
            } else {
                signal_message(env, Qorgfig_invalid_data,
                               "orgfig-read-csv: :columns must hold column names and "
                               "0-based indices",
                               args[4]);
                goto out;
            }
        }
        opts.select = picks;
        opts.nselect = n;
    }
    opts.dtype =
        env->eq(env, args[5], env->intern(env, "float32")) ? ORGFIG_F32 : ORGFIG_F64;
    if (!get_size_arg(env, args[6], 0, "orgfig-read-csv: :skip-rows", &opts.skip_rows) ||
        !get_size_arg(env, args[7], 0, "orgfig-read-csv: :max-rows", &opts.max_rows) ||
        !get_char_arg(env, args[8], &s, "orgfig-read-csv: :decimal", &opts.decimal))
        goto out;
    if (opts.decimal == 0)
        opts.decimal = '.';
    poll_ctx pc = {env, 0};
    orgfig_hooks hooks = {poll_quit, report_progress, &pc};
    orgfig_dataset *ds = orgfig_read_csv(path, &opts, &hooks, &err);
    if (ds == NULL)
        signal_core_error(env, &err, NULL, NULL);
    else
        result = dataset_object(env, ds);
out:
    scratch_free(&s);
    return result;
}

/* (orgfig--mod-read-binary FILE TYPE NCOLS BIG-ENDIAN) */
static emacs_value
Forgfig_read_binary(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                    void *data UNUSED)
{
    scratch s = {0};
    emacs_value result = NULL;
    orgfig_binary_opts opts = ORGFIG_BINARY_OPTS_INIT;
    orgfig_err err = ORGFIG_ERR_INIT;
    const char *path;
    size_t plen;
    if (!convert_string(env, args[0], &s, &path, &plen))
        goto out;
    if (strlen(path) != plen) {
        signal_message(env, Qorgfig_invalid_data,
                       "orgfig-read-binary: FILE contains a NUL byte", args[0]);
        goto out;
    }
    opts.dtype =
        env->eq(env, args[1], env->intern(env, "float32")) ? ORGFIG_F32 : ORGFIG_F64;
    if (!get_size_arg(env, args[2], 1, "orgfig-read-binary: :columns", &opts.ncols))
        goto out;
    if (opts.ncols == 0 || opts.ncols > 4096) {
        signal_message(env, Qorgfig_invalid_data,
                       "orgfig-read-binary: :columns must be from 1 to 4096", args[2]);
        goto out;
    }
    opts.big_endian = env->is_not_nil(env, args[3]);
    poll_ctx pc = {env, 0};
    orgfig_hooks hooks = {poll_quit, report_progress, &pc};
    orgfig_dataset *ds = orgfig_read_binary(path, &opts, &hooks, &err);
    if (ds == NULL)
        signal_core_error(env, &err, NULL, NULL);
    else
        result = dataset_object(env, ds);
out:
    scratch_free(&s);
    return result;
}

/* (orgfig--mod-dataset-p OBJ) */
static emacs_value
Forgfig_dataset_p(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                  void *data UNUSED)
{
    void *p = typed_ptr(env, args[0], dataset_finalizer, orgfig_dataset_check);
    return p ? Qt : CHECK_EXIT(env) ? NULL : Qnil;
}

/* (orgfig--mod-dataset-close DATASET): idempotent. */
static emacs_value
Forgfig_dataset_close(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                      void *data UNUSED)
{
    orgfig_dataset *ds = get_dataset(env, args[0]);
    if (ds == NULL)
        return NULL;
    orgfig_dataset_close(ds);
    return Qnil;
}

/* (orgfig--mod-dataset-info DATASET) -> plist. */
static emacs_value
Forgfig_dataset_info(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                     void *data UNUSED)
{
    orgfig_dataset *ds = get_dataset(env, args[0]);
    if (ds == NULL)
        return NULL;
    size_t ncols = orgfig_dataset_ncols(ds);
    emacs_value names = Qnil;
    for (size_t i = ncols; i-- > 0;) {
        const char *nm = orgfig_dataset_colname(ds, i);
        emacs_value cell[2] = {
            env->make_string(env, nm ? nm : "", (ptrdiff_t)strlen(nm ? nm : "")), names};
        if (CHECK_EXIT(env))
            return NULL;
        names = env->funcall(env, env->intern(env, "cons"), 2, cell);
        if (CHECK_EXIT(env))
            return NULL;
    }
    const char *src = orgfig_dataset_source(ds);
    static const char *const keys[] = {":source", ":rows", ":columns", ":bytes", ":live"};
    emacs_value vals[] = {
        env->make_string(env, src, (ptrdiff_t)strlen(src)),
        make_int(env, orgfig_dataset_nrows(ds)),
        names,
        make_int(env, orgfig_dataset_bytes(ds)),
        orgfig_dataset_is_open(ds) ? Qt : Qnil,
    };
    _Static_assert(ARRAY_SIZE(keys) == ARRAY_SIZE(vals), "one value per key");
    if (CHECK_EXIT(env))
        return NULL;
    return make_plist(env, ARRAY_SIZE(keys), keys, vals);
}

/* (orgfig--mod-column DATASET NAME-OR-INDEX) -> column object. */
static emacs_value
Forgfig_column(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
               void *data UNUSED)
{
    orgfig_dataset *ds = get_dataset(env, args[0]);
    if (ds == NULL)
        return NULL;
    scratch s = {0};
    emacs_value result = NULL;
    orgfig_value key;
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *c = NULL;
    if (!convert_value(env, args[1], &s, 0, &key))
        goto out;
    if (key.type == ORGFIG_V_STR) {
        c = orgfig_dataset_column(ds, key.str, key.len, "orgfig-column", &err);
    } else if (key.type == ORGFIG_V_NUM && key.is_int) {
        /* Range-check before converting: a bignum arrives as a huge double. */
        if (fabs(key.num) > 1e15) {
            char msg[128];
            snprintf(msg, sizeof msg, "orgfig-column: index %.0f out of range", key.num);
            signal_message(env, Qorgfig_invalid_data, msg, args[1]);
            goto out;
        }
        c = orgfig_dataset_column_at(ds, (int64_t)key.num, "orgfig-column", &err);
    } else {
        signal_wrong_type(env, env->intern(env, "orgfig-column-key-p"), args[1]);
        goto out;
    }
    if (c == NULL)
        signal_core_error(env, &err, args[0], NULL);
    else
        result = column_object(env, orgfig_column_ref(c));
out:
    scratch_free(&s);
    return result;
}

/* (orgfig--mod-test-fail-alloc N): make the Nth core allocation from now
 * fail (0 disables).  For the test suite's fault-injection tests. */
static emacs_value
Forgfig_test_fail_alloc(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                        void *data UNUSED)
{
    intmax_t n = env->extract_integer(env, args[0]);
    if (CHECK_EXIT(env))
        return NULL;
    orgfig_alloc_fail_at(n > 0 ? (uint64_t)n : 0);
    return Qnil;
}

/* ---------------------------------------------------------------------- */
/* Streaming file sources (issue 5).                                       */
/*                                                                         */
/* orgfig-line, orgfig-hist and orgfig-scatter :density t given an         */
/* `orgfig-file-source' call these instead of orgfig--mod-plot: the core   */
/* (core/stream.h) streams the file in bounded memory and adds an artist   */
/* built from the aggregates.  SPEC is the vector the Lisp side makes:     */
/*   [FILE FORMAT DELIMITER HEADER COMMENT TYPE NCOLS BIG-ENDIAN]          */
/* FILE an encoded file name, FORMAT csv or binary, DELIMITER and COMMENT  */
/* one-character strings or nil, HEADER t/nil, TYPE float64 or float32,    */
/* NCOLS the interleaved columns of a binary file.  A column is a string   */
/* (its name) or a natural number (0-based index).                         */

#include "core/stream.h"

static bool
stream_spec(emacs_env *env, emacs_value spec, scratch *s, const char *fn,
            orgfig_stream_src *out)
{
    char msg[160];
    if (!env->eq(env, env->type_of(env, spec), Qvector) ||
        env->vec_size(env, spec) != 9) {
        if (!CHECK_EXIT(env)) {
            snprintf(msg, sizeof msg, "%s: bad file source specification", fn);
            signal_message(env, Qorgfig_invalid_data, msg, spec);
        }
        return false;
    }
    emacs_value v[9];
    for (ptrdiff_t i = 0; i < 9; i++) {
        v[i] = env->vec_get(env, spec, i);
        if (CHECK_EXIT(env))
            return false;
    }
    orgfig_stream_src src = {NULL, ORGFIG_STREAM_CSV, ORGFIG_CSV_OPTS_INIT,
                             ORGFIG_BINARY_OPTS_INIT};
    size_t plen;
    if (!convert_string(env, v[0], s, &src.path, &plen))
        return false;
    if (strlen(src.path) != plen) {
        snprintf(msg, sizeof msg, "%s: the file name contains a NUL byte", fn);
        signal_message(env, Qorgfig_invalid_data, msg, v[0]);
        return false;
    }
    if (env->eq(env, v[1], env->intern(env, "binary")))
        src.format = ORGFIG_STREAM_BINARY;
    snprintf(msg, sizeof msg, "%s: :delimiter", fn);
    if (!get_char_arg(env, v[2], s, msg, &src.csv.delimiter))
        return false;
    src.csv.header = env->is_not_nil(env, v[3]);
    snprintf(msg, sizeof msg, "%s: :comment", fn);
    if (!get_char_arg(env, v[4], s, msg, &src.csv.comment))
        return false;
    src.bin.dtype =
        env->eq(env, v[5], env->intern(env, "float32")) ? ORGFIG_F32 : ORGFIG_F64;
    snprintf(msg, sizeof msg, "%s: :columns", fn);
    if (!get_size_arg(env, v[6], 1, msg, &src.bin.ncols))
        return false;
    if (src.bin.ncols == 0 || src.bin.ncols > 4096) {
        snprintf(msg, sizeof msg, "%s: :columns must be from 1 to 4096", fn);
        signal_message(env, Qorgfig_invalid_data, msg, v[6]);
        return false;
    }
    src.bin.big_endian = env->is_not_nil(env, v[7]);
    snprintf(msg, sizeof msg, "%s: :decimal", fn);
    if (!get_char_arg(env, v[8], s, msg, &src.csv.decimal))
        return false;
    if (src.csv.decimal == 0)
        src.csv.decimal = '.';
    *out = src;
    return !CHECK_EXIT(env);
}

/* A column selector: a string name or a 0-based index. */
static bool
stream_column(emacs_env *env, emacs_value v, scratch *s, const char *fn,
              orgfig_csv_select *out)
{
    orgfig_value key;
    if (!convert_value(env, v, s, MAX_NESTING, &key))
        return false;
    *out = (orgfig_csv_select){NULL, 0, 0};
    if (key.type == ORGFIG_V_STR) {
        out->name = key.str;
        out->len = key.len;
        return true;
    }
    if (key.type == ORGFIG_V_NUM && key.is_int && key.num >= 0 && key.num < 1e15) {
        out->index = (int64_t)key.num;
        return true;
    }
    char msg[160];
    snprintf(msg, sizeof msg,
             "%s: a file source's :column must be a name (string) or a 0-based index",
             fn);
    signal_message(env, Qorgfig_invalid_data, msg, v);
    return false;
}

enum { STREAM_LINE, STREAM_HIST, STREAM_DENSITY };

/* The common body: ARGS are FIG SPEC then one or two columns then PROPS. */
static emacs_value
stream_plot(emacs_env *env, emacs_value *args, int what)
{
    static const char *const fns[] = {"orgfig-line", "orgfig-hist", "orgfig-scatter"};
    const char *fn = fns[what];
    orgfig_figure *f = usable_figure(env, args[0], fn);
    if (f == NULL)
        return NULL;
    scratch s = {0};
    emacs_value result = NULL;
    orgfig_stream_src src;
    orgfig_csv_select c0, c1;
    bool has_x = what != STREAM_HIST && env->is_not_nil(env, args[2]);
    emacs_value pv = args[what == STREAM_HIST ? 3 : 4];
    orgfig_prop *props;
    size_t nprops;
    orgfig_err err = ORGFIG_ERR_INIT;
    if (what == STREAM_DENSITY && !has_x) {
        signal_message(env, Qorgfig_invalid_data,
                       "orgfig-scatter: X must be a column of the file source", NULL);
        goto out;
    }
    if (!stream_spec(env, args[1], &s, fn, &src))
        goto out;
    if (has_x && !stream_column(env, args[2], &s, fn, &c0))
        goto out;
    if (what != STREAM_HIST && !stream_column(env, args[3], &s, fn, &c1))
        goto out;
    if (what == STREAM_HIST && !stream_column(env, args[2], &s, fn, &c0))
        goto out;
    if (!convert_props(env, pv, &s, &props, &nprops))
        goto out;
    if (orgfig_figure_usable(f, fn, &err) != ORGFIG_OK) {
        signal_core_error(env, &err, args[0], NULL);
        goto out;
    }
    poll_ctx pc = {env, 0};
    orgfig_hooks hooks = {poll_quit, report_progress, &pc};
    orgfig_status st;
    if (what == STREAM_LINE)
        st = orgfig_stream_line(f, &src, has_x ? &c0 : NULL, &c1, props, nprops, &hooks,
                                &err);
    else if (what == STREAM_HIST)
        st = orgfig_stream_hist(f, &src, &c0, props, nprops, &hooks, &err);
    else
        st = orgfig_stream_density(f, &src, &c0, &c1, props, nprops, &hooks, &err);
    if (st == ORGFIG_OK) {
        result = args[0];
    } else {
        call_values cv = {NULL, 0, pv};
        signal_core_error(env, &err, args[0], &cv);
    }
out:
    scratch_free(&s);
    return result;
}

/* (orgfig--mod-stream-line FIG SPEC XCOL YCOL PROPS): XCOL nil: row numbers. */
static emacs_value
Forgfig_stream_line(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                    void *data UNUSED)
{
    return stream_plot(env, args, STREAM_LINE);
}

/* (orgfig--mod-stream-hist FIG SPEC COL PROPS) */
static emacs_value
Forgfig_stream_hist(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                    void *data UNUSED)
{
    return stream_plot(env, args, STREAM_HIST);
}

/* (orgfig--mod-stream-density FIG SPEC XCOL YCOL PROPS) */
static emacs_value
Forgfig_stream_density(emacs_env *env, ptrdiff_t nargs UNUSED, emacs_value *args,
                       void *data UNUSED)
{
    return stream_plot(env, args, STREAM_DENSITY);
}

/* ---------------------------------------------------------------------- */
/* Initialization.                                                         */

static void
defun(emacs_env *env, const char *name, ptrdiff_t min, ptrdiff_t max, emacs_function fn,
      const char *doc)
{
    emacs_value f = env->make_function(env, min, max, fn, doc, NULL);
    emacs_value args[2] = {env->intern(env, name), f};
    env->funcall(env, env->intern(env, "defalias"), 2, args);
}

static void
init_symbols(emacs_env *env)
{
    Qnil = intern_global(env, "nil");
    Qt = intern_global(env, "t");
    Qlist = intern_global(env, "list");
    Qfloat = intern_global(env, "float");
    Qsymbol_name = intern_global(env, "symbol-name");
    Qvconcat = intern_global(env, "vconcat");
    Quser_ptr = intern_global(env, "user-ptr");
    Qinteger = intern_global(env, "integer");
    Qfloat_type = Qfloat; /* `float' names both the function and the type. */
    Qvector = intern_global(env, "vector");
    Qstring = intern_global(env, "string");
    Qsymbol = intern_global(env, "symbol");
    Qcons = intern_global(env, "cons");
    Qwrong_type_argument = intern_global(env, "wrong-type-argument");
    Qorgfig_error = intern_global(env, "orgfig-error");
    Qorgfig_invalid_data = intern_global(env, "orgfig-invalid-data");
    Qorgfig_closed_figure = intern_global(env, "orgfig-closed-figure");
    Qorgfig_memory_limit = intern_global(env, "orgfig-memory-limit");
    Qorgfig_out_of_memory = intern_global(env, "orgfig-out-of-memory");
    Qorgfig_render_error = intern_global(env, "orgfig-render-error");
    Qorgfig_file_error = intern_global(env, "orgfig-file-error");
    Qorgfig_busy = intern_global(env, "orgfig-busy");
    Qorgfig_figure_p = intern_global(env, "orgfig-figure-p");
    Qorgfig_progress = intern_global(env, "orgfig--progress");
    Qpng = intern_global(env, "png");
    Qsvg = intern_global(env, "svg");
    Qpdf = intern_global(env, "pdf");
}

ORGFIG_EXPORT int
emacs_module_init(struct emacs_runtime *runtime)
{
    if (runtime->size < (ptrdiff_t)sizeof(*runtime))
        return 1;
    emacs_env *env = runtime->get_environment(runtime);
    /* make_unibyte_string arrived in Emacs 28. */
    if (env->size < (ptrdiff_t)sizeof(struct emacs_env_28))
        return 2;
    if (!initialized) {
        init_symbols(env);
        if (CHECK_EXIT(env))
            return 3;
        initialized = true;
    }
    defun(env, "orgfig--mod-figure-new", 1, 1, Forgfig_figure_new,
          "Make a figure from the property vector PROPS.\n\n(fn PROPS)");
    defun(env, "orgfig--mod-figure-p", 1, 1, Forgfig_figure_p,
          "Return t if OBJ is an orgfig figure, open or closed.\n\n(fn OBJ)");
    defun(env, "orgfig--mod-live-p", 1, 1, Forgfig_live_p,
          "Return t if FIG is open.\n\n(fn FIG)");
    defun(env, "orgfig--mod-close", 1, 1, Forgfig_close,
          "Free FIG's memory; closing twice is fine.\n\n(fn FIG)");
    defun(
        env, "orgfig--mod-set", 2, 2, Forgfig_set,
        "Set figure or axes properties of FIG from the vector PROPS.\n\n(fn FIG PROPS)");
    defun(env, "orgfig--mod-plot", 4, 4, Forgfig_plot,
          "Add a plot of KIND with data vector ARGS and property vector PROPS to FIG."
          "\n\n(fn FIG KIND ARGS PROPS)");
    defun(env, "orgfig--mod-render", 4, 4, Forgfig_render,
          "Render FIG to a unibyte string in FORMAT (png, svg or pdf).\n"
          "LEVEL is a zlib level or nil; SMALL non-nil picks the small PNG preset."
          "\n\n(fn FIG FORMAT LEVEL SMALL)");
    defun(env, "orgfig--mod-info", 1, 1, Forgfig_info,
          "Return a plist describing FIG.\n\n(fn FIG)");
    defun(env, "orgfig--mod-memory", 0, 0, Forgfig_memory,
          "Return a plist of orgfig's memory counters.\n\n(fn)");
    defun(env, "orgfig--mod-set-limit", 1, 1, Forgfig_set_limit,
          "Set the memory limit to BYTES (nil: none).\n\n(fn BYTES)");
    defun(env, "orgfig--mod-set-threads", 1, 1, Forgfig_set_threads,
          "Let renders use N threads (1 to 8).\n\n(fn N)");
    defun(env, "orgfig--mod-reset-peak", 0, 0, Forgfig_reset_peak,
          "Reset the peak byte count to the bytes held now.\n\n(fn)");
    defun(env, "orgfig--mod-pack", 2, 2, Forgfig_pack,
          "Pack the numbers of vector SEQ into a column of TYPE (float64, float32 or"
          " time).\n\n(fn SEQ TYPE)");
    defun(env, "orgfig--mod-column-p", 1, 1, Forgfig_column_p,
          "Return t if OBJ is an orgfig column.\n\n(fn OBJ)");
    defun(env, "orgfig--mod-column-values", 3, 3, Forgfig_column_values,
          "Return the values START to END (exclusive) of column COL as a vector."
          "\n\n(fn COL START END)");
    defun(env, "orgfig--mod-column-info", 1, 1, Forgfig_column_info,
          "Return a plist describing column COL.\n\n(fn COL)");
    defun(env, "orgfig--mod-read-csv", 9, 9, Forgfig_read_csv,
          "Read the CSV file FILE into a dataset.\n\n"
          "(fn FILE DELIMITER HEADER COMMENT SELECT TYPE SKIP MAX DECIMAL)");
    defun(env, "orgfig--mod-read-binary", 4, 4, Forgfig_read_binary,
          "Read the raw array file FILE into a dataset.\n\n(fn FILE TYPE NCOLS "
          "BIG-ENDIAN)");
    defun(env, "orgfig--mod-dataset-p", 1, 1, Forgfig_dataset_p,
          "Return t if OBJ is an orgfig dataset.\n\n(fn OBJ)");
    defun(env, "orgfig--mod-dataset-close", 1, 1, Forgfig_dataset_close,
          "Close DATASET; closing twice is fine.\n\n(fn DATASET)");
    defun(env, "orgfig--mod-dataset-info", 1, 1, Forgfig_dataset_info,
          "Return a plist describing DATASET.\n\n(fn DATASET)");
    defun(env, "orgfig--mod-column", 2, 2, Forgfig_column,
          "Return the column of DATASET named by a string or 0-based index KEY."
          "\n\n(fn DATASET KEY)");
    defun(env, "orgfig--mod-test-fail-alloc", 1, 1, Forgfig_test_fail_alloc,
          "Make the Nth core allocation from now fail (0 disables).  For tests."
          "\n\n(fn N)");
    /* Streaming file sources. */
    defun(env, "orgfig--mod-stream-line", 5, 5, Forgfig_stream_line,
          "Stream a line from the file SPEC (columns XCOL, nil for row numbers, and"
          " YCOL) onto FIG.\n\n(fn FIG SPEC XCOL YCOL PROPS)");
    defun(env, "orgfig--mod-stream-hist", 4, 4, Forgfig_stream_hist,
          "Stream a histogram of column COL of the file SPEC onto FIG."
          "\n\n(fn FIG SPEC COL PROPS)");
    defun(env, "orgfig--mod-stream-density", 5, 5, Forgfig_stream_density,
          "Stream a density plot of columns XCOL and YCOL of the file SPEC onto FIG."
          "\n\n(fn FIG SPEC XCOL YCOL PROPS)");
    if (CHECK_EXIT(env))
        return 4;
    emacs_value feature = env->intern(env, "orgfig-module");
    env->funcall(env, env->intern(env, "provide"), 1, &feature);
    return CHECK_EXIT(env) ? 5 : 0;
}
