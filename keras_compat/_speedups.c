/* keras_compat._speedups: the context's index walk in C (optional).
 *
 * index() does exactly what the pure-Python loop keras_compat.context._walk does, in the same order: a
 * breadth-first walk of a syntax tree that records every child's parent and appends the nodes of some classes
 * to lists. Python spends about 1,500 instructions a node on that loop whatever it does (the interpreter does
 * not specialise the attribute reads of ast nodes); here what is left is the dictionary work itself. Nothing
 * here knows Keras: the field tables, the leaf classes and the lists come from the caller.
 *
 * The module is optional: without a C compiler the package installs without it and the Python loop runs;
 * tests/test_speedups.py proves that both build the same indexes. Errors (memory, a field whose read raises
 * something other than AttributeError) propagate as Python exceptions, which the engine contains like any
 * other failure of the analysis set-up; OverflowError means "too many node classes": use the Python loop.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Whether a METH_FASTCALL function was given ``expected`` arguments (else a TypeError is set). */
static int
has_args(const char *function, Py_ssize_t nargs, Py_ssize_t expected)
{
    if (nargs == expected) {
        return 1;
    }
    PyErr_Format(PyExc_TypeError, "%s() takes exactly %zd arguments (%zd given)", function, expected, nargs);
    return 0;
}

/* What the walk needs of a node class: its child node fields, whether it is a leaf (recorded as a child,
 * never visited) and whether its fields can be read from the instance dictionary. Computed on a class's first
 * sight and kept for the life of the process in an open-addressing table keyed by the class pointer (a
 * dictionary and a set look-up per node cost as much as the rest of the walk). */
typedef struct {
    PyObject *cls;     /* a strong reference; NULL: a free slot */
    PyObject *fields;  /* a tuple of str (a strong reference); NULL for a leaf */
    int leaf;
    int plain;         /* see plain_fields() */
} ClassInfo;

#define TABLE_SIZE 1024  /* a power of two; at most half of it is used (ast has about 120 node classes) */

static ClassInfo classes[TABLE_SIZE];
static Py_ssize_t classes_used;
/* The field table and leaf set the entries were computed from (strong references): a call with others
 * empties the table first. */
static PyObject *known_fields_of, *known_leaves;
static PyObject *str_targets, *str_lineno, *str_col_offset, *str_func, *str_value, *str_attr, *str_id;

static void
classes_clear(void)
{
    for (Py_ssize_t i = 0; i < TABLE_SIZE; i++) {
        Py_CLEAR(classes[i].cls);
        Py_CLEAR(classes[i].fields);
    }
    classes_used = 0;
    Py_CLEAR(known_fields_of);
    Py_CLEAR(known_leaves);
}

/* The child node fields of ``cls`` (a tuple of str) as a new reference: from ``fields_of``, else computed by
 * ``compute(cls)`` (the caller's function, which stores them in ``fields_of``); NULL with an exception. */
static PyObject *
fields_for(PyObject *cls, PyObject *fields_of, PyObject *compute)
{
    PyObject *fields = PyDict_GetItemWithError(fields_of, cls);
    if (fields != NULL) {
        Py_INCREF(fields);
    }
    else if (!PyErr_Occurred()) {
        fields = PyObject_CallOneArg(compute, cls);
    }
    if (fields != NULL && !PyTuple_Check(fields)) {
        Py_DECREF(fields);
        PyErr_SetString(PyExc_TypeError, "node_fields() must return a tuple");
        return NULL;
    }
    return fields;
}

/* Whether ``getattr(node, field)`` of a ``cls`` instance is the entry of its instance dictionary when it has
 * one: the class uses the generic attribute look-up and has no data descriptor named like a field (true of
 * every ast node class). 1, 0, or -1 with an exception. */
static int
plain_fields(PyObject *cls, PyObject *fields)
{
    if (((PyTypeObject *)cls)->tp_getattro != PyObject_GenericGetAttr) {
        return 0;
    }
    for (Py_ssize_t f = 0; f < PyTuple_GET_SIZE(fields); f++) {
        PyObject *attr = PyObject_GetAttr(cls, PyTuple_GET_ITEM(fields, f));
        if (attr == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
                return -1;
            }
            PyErr_Clear();
            continue;
        }
        int descriptor = Py_TYPE(attr)->tp_descr_set != NULL;
        Py_DECREF(attr);
        if (descriptor) {
            return 0;
        }
    }
    return 1;
}

static size_t
slot_of(PyObject *cls)
{
    return ((size_t)cls >> 4) & (TABLE_SIZE - 1);
}

/* The table's entry for ``cls``, made on first sight; NULL with an exception. */
static ClassInfo *
class_info(PyObject *cls, PyObject *leaves, PyObject *fields_of, PyObject *compute)
{
    size_t i = slot_of(cls);
    while (classes[i].cls != NULL) {
        if (classes[i].cls == cls) {
            return &classes[i];
        }
        i = (i + 1) & (TABLE_SIZE - 1);
    }
    int leaf = PySet_Contains(leaves, cls);
    if (leaf < 0) {
        return NULL;
    }
    PyObject *fields = NULL;
    int plain = 0;
    if (!leaf) {
        fields = fields_for(cls, fields_of, compute);  /* may run Python code (and another thread) */
        if (fields == NULL) {
            return NULL;
        }
        plain = plain_fields(cls, fields);
        if (plain < 0) {
            Py_DECREF(fields);
            return NULL;
        }
    }
    /* Probe again: the Python code above may have let another thread add entries. */
    i = slot_of(cls);
    while (classes[i].cls != NULL && classes[i].cls != cls) {
        i = (i + 1) & (TABLE_SIZE - 1);
    }
    if (classes[i].cls == cls) {
        Py_XDECREF(fields);
        return &classes[i];
    }
    if (classes_used >= TABLE_SIZE / 2) {
        Py_XDECREF(fields);
        PyErr_SetString(PyExc_OverflowError, "index(): too many node classes");
        return NULL;
    }
    Py_INCREF(cls);
    classes[i].cls = cls;
    classes[i].fields = fields;
    classes[i].leaf = leaf;
    classes[i].plain = plain;
    classes_used++;
    return &classes[i];
}

/* ``getattr(node, name, None)`` as a new reference (None when the attribute is missing), or NULL. ``dict``:
 * the node's instance dictionary when its class is plain (an entry there is the attribute), else NULL. */
static PyObject *
field(PyObject *node, PyObject *dict, PyObject *name)
{
    if (dict != NULL) {
        PyObject *value = PyDict_GetItemWithError(dict, name);
        if (value != NULL) {
            Py_INCREF(value);
            return value;
        }
        if (PyErr_Occurred()) {
            return NULL;
        }
    }
    PyObject *value = PyObject_GetAttr(node, name);
    if (value == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
            return NULL;
        }
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    return value;
}

/* ``getattr(node, name)`` as a new reference, or NULL with an exception: the entry of the node's instance
 * dictionary when the generic look-up would return it (the class uses the generic look-up, keeps its
 * instances' dictionaries in a slot of their own, as ast node classes do, and has no data descriptor of that
 * name), which skips most of the generic look-up's work; else PyObject_GetAttr. */
static PyObject *
node_attr(PyObject *node, PyObject *name)
{
    PyTypeObject *type = Py_TYPE(node);
    if (type->tp_getattro == PyObject_GenericGetAttr && type->tp_dictoffset > 0) {
        PyObject *descr = _PyType_Lookup(type, name);  /* borrowed, no exception set */
        if (descr == NULL || Py_TYPE(descr)->tp_descr_set == NULL) {
            PyObject *dict = *(PyObject **)((char *)node + type->tp_dictoffset);
            if (dict != NULL && PyDict_CheckExact(dict)) {
                PyObject *value = PyDict_GetItemWithError(dict, name);
                if (value != NULL) {
                    Py_INCREF(value);
                    return value;
                }
                if (PyErr_Occurred()) {
                    return NULL;
                }
            }
        }
    }
    return PyObject_GetAttr(node, name);
}

/* The state of one walk. */
typedef struct {
    PyObject *parents, *lists, *leaves, *fields_of, *compute, *order;
    PyObject *lists_of[TABLE_SIZE];  /* per table slot: the list of that class's nodes (a strong reference),
                                        Py_None when it has none, NULL when not looked up yet */
} Walk;

/* Record ``child``'s parent and queue it unless it is a leaf. 0, or -1 with an exception. */
static int
add_child(Walk *walk, PyObject *child, PyObject *node)
{
    if (PyDict_SetItem(walk->parents, child, node) < 0) {
        return -1;
    }
    ClassInfo *info = class_info((PyObject *)Py_TYPE(child), walk->leaves, walk->fields_of, walk->compute);
    if (info == NULL) {
        return -1;
    }
    return info->leaf ? 0 : PyList_Append(walk->order, child);
}

/* Visit the children of ``node`` (its class's entry: ``info``). 0, or -1 with an exception. */
static int
visit(Walk *walk, PyObject *node, ClassInfo *info)
{
    PyObject *fields = info->fields;
    if (fields == NULL) {  /* a leaf at the root */
        return 0;
    }
    Py_INCREF(fields);
    PyObject *dict = NULL;
    if (info->plain) {
        dict = PyObject_GenericGetDict(node, NULL);
        if (dict == NULL) {
            Py_DECREF(fields);
            return -1;
        }
        if (!PyDict_Check(dict)) {
            Py_CLEAR(dict);
        }
    }
    int failed = 0;
    for (Py_ssize_t f = 0; f < PyTuple_GET_SIZE(fields) && !failed; f++) {
        PyObject *value = field(node, dict, PyTuple_GET_ITEM(fields, f));
        if (value == NULL) {
            failed = 1;
        }
        else if (PyList_CheckExact(value)) {
            for (Py_ssize_t c = 0; c < PyList_GET_SIZE(value) && !failed; c++) {
                PyObject *child = PyList_GET_ITEM(value, c);
                if (child != Py_None) {
                    Py_INCREF(child);
                    failed = add_child(walk, child, node) < 0;
                    Py_DECREF(child);
                }
            }
        }
        else if (value != Py_None) {
            failed = add_child(walk, value, node) < 0;
        }
        Py_XDECREF(value);
    }
    Py_XDECREF(dict);
    Py_DECREF(fields);
    return failed ? -1 : 0;
}

/* Append ``node`` to its class's list, if it has one. 0, or -1 with an exception. */
static int
list_node(Walk *walk, PyObject *node, ClassInfo *info)
{
    PyObject **list = &walk->lists_of[info - classes];
    if (*list == NULL) {
        PyObject *found = PyDict_GetItemWithError(walk->lists, (PyObject *)Py_TYPE(node));
        if (found == NULL && PyErr_Occurred()) {
            return -1;
        }
        if (found != NULL && !PyList_Check(found)) {
            PyErr_SetString(PyExc_TypeError, "index(): the values of lists must be lists");
            return -1;
        }
        *list = found == NULL ? Py_None : found;
        Py_INCREF(*list);
    }
    return *list == Py_None ? 0 : PyList_Append(*list, node);
}

/* An assignment to a subscript goes to ``subscript_assigns`` (once). 0, or -1 with an exception. */
static int
subscript_assign(PyObject *node, PyObject *subscript, PyObject *subscript_assigns)
{
    PyObject *targets = field(node, NULL, str_targets);
    if (targets == NULL) {
        return -1;
    }
    int status = 0;
    if (PyList_CheckExact(targets)) {
        for (Py_ssize_t t = 0; t < PyList_GET_SIZE(targets); t++) {
            if ((PyObject *)Py_TYPE(PyList_GET_ITEM(targets, t)) == subscript) {
                status = PyList_Append(subscript_assigns, node);
                break;
            }
        }
    }
    Py_DECREF(targets);
    return status;
}

PyDoc_STRVAR(index_doc,
"index(tree, parents, lists, leaves, fields_of, node_fields, assign, subscript, subscript_assigns)\n"
"--\n\n"
"Walk ``tree`` breadth first: ``parents[child] = node`` for every child, in field order; every visited\n"
"node whose class is a key of ``lists`` is appended to that list; an ``assign`` node with a ``subscript``\n"
"target is appended to ``subscript_assigns``. Classes in ``leaves`` are recorded as children, never\n"
"visited. ``fields_of`` maps a class to its node fields (``node_fields(cls)`` computes a missing entry).");

static PyObject *
index_walk(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!has_args("index", nargs, 9)) {
        return NULL;
    }
    PyObject *tree = args[0], *assign = args[6], *subscript = args[7], *subscript_assigns = args[8];
    if (!PyDict_Check(args[1]) || !PyDict_Check(args[2]) || !PyAnySet_Check(args[3]) || !PyDict_Check(args[4])
            || !PyList_Check(subscript_assigns)) {
        PyErr_SetString(PyExc_TypeError, "index(): bad argument types");
        return NULL;
    }
    if (known_fields_of != args[4] || known_leaves != args[3]) {
        classes_clear();
        Py_INCREF(args[4]);
        known_fields_of = args[4];
        Py_INCREF(args[3]);
        known_leaves = args[3];
    }
    Walk *walk = PyMem_Calloc(1, sizeof(Walk));
    if (walk == NULL) {
        return PyErr_NoMemory();
    }
    walk->parents = args[1];
    walk->lists = args[2];
    walk->leaves = args[3];
    walk->fields_of = args[4];
    walk->compute = args[5];
    PyObject *result = NULL;
    walk->order = PyList_New(0);
    if (walk->order == NULL || PyList_Append(walk->order, tree) < 0) {
        goto done;
    }
    /* The list grows while it is read: a breadth-first walk. */
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(walk->order); i++) {
        PyObject *node = PyList_GET_ITEM(walk->order, i);
        ClassInfo *info = class_info((PyObject *)Py_TYPE(node), walk->leaves, walk->fields_of, walk->compute);
        if (info == NULL || visit(walk, node, info) < 0 || list_node(walk, node, info) < 0) {
            goto done;
        }
        if ((PyObject *)Py_TYPE(node) == assign && subscript_assign(node, subscript, subscript_assigns) < 0) {
            goto done;
        }
    }
    result = Py_None;
    Py_INCREF(result);
done:
    Py_XDECREF(walk->order);
    for (Py_ssize_t i = 0; i < TABLE_SIZE; i++) {
        Py_XDECREF(walk->lists_of[i]);
    }
    PyMem_Free(walk);
    return result;
}

/* ------------------------------------------------------------------------------------------------------------
 * sort_by_start(nodes): nodes.sort(key=attrgetter("lineno", "col_offset")), for int positions. */

typedef struct {
    long line, col;
    Py_ssize_t index;  /* the tie-breaker that makes the sort stable, as list.sort is */
    PyObject *node;
} Keyed;

static int
compare_keyed(const void *a, const void *b)
{
    const Keyed *x = a, *y = b;
    if (x->line != y->line) {
        return x->line < y->line ? -1 : 1;
    }
    if (x->col != y->col) {
        return x->col < y->col ? -1 : 1;
    }
    return x->index < y->index ? -1 : (x->index > y->index);
}

/* An int attribute of ``node`` (-1 and no exception when it is missing or not a small int). */
static int
position(PyObject *node, PyObject *name, long *out)
{
    PyObject *value = node_attr(node, name);
    if (value == NULL) {
        PyErr_Clear();
        return -1;
    }
    int ok = PyLong_CheckExact(value);
    if (ok) {
        int overflow;
        *out = PyLong_AsLongAndOverflow(value, &overflow);
        ok = !overflow && !(*out == -1 && PyErr_Occurred());
        PyErr_Clear();
    }
    Py_DECREF(value);
    return ok ? 0 : -1;
}

PyDoc_STRVAR(sort_by_start_doc,
"sort_by_start(nodes) -> bool\n"
"--\n\n"
"Sort the list ``nodes`` by (lineno, col_offset), stably, and return True; return False, leaving the list\n"
"as it was, when a node lacks a position or has one that is not an int (the caller sorts in Python then).");

static PyObject *
sort_by_start(PyObject *Py_UNUSED(module), PyObject *nodes)
{
    if (!PyList_Check(nodes)) {
        PyErr_SetString(PyExc_TypeError, "sort_by_start() takes a list");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(nodes);
    if (n < 2) {
        Py_RETURN_TRUE;
    }
    Keyed *keyed = PyMem_Malloc(n * sizeof(Keyed));
    if (keyed == NULL) {
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *node = PyList_GET_ITEM(nodes, i);
        keyed[i].index = i;
        keyed[i].node = node;
        if (position(node, str_lineno, &keyed[i].line) < 0 || position(node, str_col_offset, &keyed[i].col) < 0
                || PyList_GET_SIZE(nodes) != n) {  /* (an attribute read could run code that changes the list) */
            PyMem_Free(keyed);
            Py_RETURN_FALSE;
        }
    }
    qsort(keyed, (size_t)n, sizeof(Keyed), compare_keyed);
    /* The list owns one reference to each node; reordering its items keeps those references. */
    PyObject **items = ((PyListObject *)nodes)->ob_item;
    for (Py_ssize_t i = 0; i < n; i++) {
        items[i] = keyed[i].node;
    }
    PyMem_Free(keyed);
    Py_RETURN_TRUE;
}

/* ------------------------------------------------------------------------------------------------------------
 * keras_candidates(calls, roots, parts, memo, attribute, name): the calls whose callee may be a Keras name. */

PyDoc_STRVAR(keras_candidates_doc,
"keras_candidates(calls, roots, parts, memo, attribute, name) -> list\n"
"--\n\n"
"For each call, follow its callee down through ``attribute`` nodes whose ``attr`` is not in ``parts``: the\n"
"call is kept when that ends at a ``name`` node whose ``id`` is in ``roots`` or at an ``attribute`` node;\n"
"otherwise ``memo[call.func] = None``. Returns the kept calls, in order.");

static PyObject *
keras_candidates(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!has_args("keras_candidates", nargs, 6)) {
        return NULL;
    }
    PyObject *calls = args[0], *roots = args[1], *parts = args[2], *memo = args[3];
    PyObject *attribute = args[4], *name = args[5];
    if (!PyList_Check(calls) || !PyDict_Check(memo)) {
        PyErr_SetString(PyExc_TypeError, "keras_candidates(): bad argument types");
        return NULL;
    }
    PyObject *kept = PyList_New(0);
    if (kept == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(calls); i++) {
        PyObject *call = PyList_GET_ITEM(calls, i);
        Py_INCREF(call);
        PyObject *func = node_attr(call, str_func);
        PyObject *node = func;
        Py_XINCREF(node);
        int keep = -1;  /* -1: an error */
        while (node != NULL && (PyObject *)Py_TYPE(node) == attribute) {
            PyObject *attr = node_attr(node, str_attr);
            int part = attr == NULL ? -1 : PySequence_Contains(parts, attr);
            Py_XDECREF(attr);
            if (part < 0) {
                Py_CLEAR(node);
            }
            if (part != 0) {
                break;
            }
            PyObject *value = node_attr(node, str_value);
            Py_SETREF(node, value);
        }
        if (node == NULL) {
            keep = -1;
        }
        else if ((PyObject *)Py_TYPE(node) == name) {
            PyObject *id = node_attr(node, str_id);
            keep = id == NULL ? -1 : PySequence_Contains(roots, id);
            Py_XDECREF(id);
        }
        else {
            keep = (PyObject *)Py_TYPE(node) == attribute;
        }
        Py_XDECREF(node);
        int failed = keep < 0;
        if (keep == 1) {
            failed = PyList_Append(kept, call) < 0;
        }
        else if (keep == 0) {
            failed = PyDict_SetItem(memo, func, Py_None) < 0;
        }
        Py_XDECREF(func);
        Py_DECREF(call);
        if (failed) {
            Py_DECREF(kept);
            return NULL;
        }
    }
    return kept;
}

/* ------------------------------------------------------------------------------------------------------------
 * group_by(nodes, field, cls, positions): the nodes (or their positions in ``nodes``) by a field's value. */

PyDoc_STRVAR(group_by_doc,
"group_by(nodes, field, cls, positions) -> dict\n"
"--\n\n"
"``{value: [...]}`` over the iterable ``nodes``, skipping those whose class is not ``cls`` (None: keep\n"
"every node): each kept node (or, with ``positions``, its position in ``nodes``) is appended to the list of\n"
"its ``field``'s value, in order.");

static PyObject *
group_by(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!has_args("group_by", nargs, 4)) {
        return NULL;
    }
    PyObject *field_name = args[1], *cls = args[2];
    int positions = PyObject_IsTrue(args[3]);
    if (positions < 0) {
        return NULL;
    }
    PyObject *iterator = PyObject_GetIter(args[0]);
    if (iterator == NULL) {
        return NULL;
    }
    PyObject *groups = PyDict_New();
    if (groups == NULL) {
        Py_DECREF(iterator);
        return NULL;
    }
    PyObject *node;
    Py_ssize_t index = -1;
    while ((node = PyIter_Next(iterator)) != NULL) {
        index++;
        if (cls != Py_None && (PyObject *)Py_TYPE(node) != cls) {
            Py_DECREF(node);
            continue;
        }
        PyObject *key = PyUnicode_Check(field_name) ? node_attr(node, field_name) : PyObject_GetAttr(node, field_name);
        PyObject *item = positions ? PyLong_FromSsize_t(index) : (Py_INCREF(node), node);
        int failed = key == NULL || item == NULL;
        if (!failed) {
            PyObject *group = PyDict_GetItemWithError(groups, key);
            if (group == NULL && !PyErr_Occurred()) {
                group = PyList_New(0);
                failed = group == NULL || PyDict_SetItem(groups, key, group) < 0;
                Py_XDECREF(group);  /* the dictionary holds it */
            }
            failed = failed || group == NULL || PyList_Append(group, item) < 0;
        }
        Py_XDECREF(key);
        Py_XDECREF(item);
        Py_DECREF(node);
        if (failed) {
            Py_DECREF(iterator);
            Py_DECREF(groups);
            return NULL;
        }
    }
    Py_DECREF(iterator);
    if (PyErr_Occurred()) {
        Py_DECREF(groups);
        return NULL;
    }
    return groups;
}

/* ------------------------------------------------------------------------------------------------------------
 * gather(nodes, field) and select(nodes, field, classes): a field of each node; the nodes by their field's class. */

PyDoc_STRVAR(gather_doc,
"gather(nodes, field) -> list\n"
"--\n\n"
"``[getattr(node, field) for node in nodes]`` for the list ``nodes``.");

static PyObject *
gather(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!has_args("gather", nargs, 2)) {
        return NULL;
    }
    PyObject *nodes = args[0], *field_name = args[1];
    if (!PyList_Check(nodes) || !PyUnicode_Check(field_name)) {
        PyErr_SetString(PyExc_TypeError, "gather(): bad argument types");
        return NULL;
    }
    PyObject *found = PyList_New(0);
    for (Py_ssize_t i = 0; found != NULL && i < PyList_GET_SIZE(nodes); i++) {
        PyObject *node = PyList_GET_ITEM(nodes, i);
        Py_INCREF(node);
        PyObject *value = node_attr(node, field_name);
        Py_DECREF(node);
        if (value == NULL || PyList_Append(found, value) < 0) {
            Py_CLEAR(found);
        }
        Py_XDECREF(value);
    }
    return found;
}

PyDoc_STRVAR(select_doc,
"select(nodes, field, classes) -> list\n"
"--\n\n"
"``[node for node in nodes if type(getattr(node, field)) in classes]`` for the list ``nodes`` and the set\n"
"``classes`` (``field`` None: the node's own class).");

static PyObject *
select_nodes(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!has_args("select", nargs, 3)) {
        return NULL;
    }
    PyObject *nodes = args[0], *field_name = args[1], *classes = args[2];
    if (!PyList_Check(nodes) || !(field_name == Py_None || PyUnicode_Check(field_name)) || !PyAnySet_Check(classes)) {
        PyErr_SetString(PyExc_TypeError, "select(): bad argument types");
        return NULL;
    }
    PyObject *found = PyList_New(0);
    for (Py_ssize_t i = 0; found != NULL && i < PyList_GET_SIZE(nodes); i++) {
        PyObject *node = PyList_GET_ITEM(nodes, i);
        Py_INCREF(node);
        PyObject *value = field_name == Py_None ? (Py_INCREF(node), node) : node_attr(node, field_name);
        int in = value == NULL ? -1 : PySet_Contains(classes, (PyObject *)Py_TYPE(value));
        if (in < 0 || (in && PyList_Append(found, node) < 0)) {
            Py_CLEAR(found);
        }
        Py_XDECREF(value);
        Py_DECREF(node);
    }
    return found;
}

/* -- presized: an empty dict with room for ``n`` entries ------------------------------------------- */

PyDoc_STRVAR(presized_doc,
"presized(n)\n"
"--\n\n"
"An empty dict with room for about ``n`` entries: filled one entry at a time (the context's parent map,\n"
"one entry per node of a file), it is not resized again and again on the way. Equal to ``{}`` in every\n"
"other respect.");

static PyObject *
presized(PyObject *module, PyObject *arg)
{
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (n < 0) {
        n = 0;
    }
    return _PyDict_NewPresized(n);
}

static PyMethodDef methods[] = {
    {"presized", presized, METH_O, presized_doc},
    {"gather", (PyCFunction)(void (*)(void))gather, METH_FASTCALL, gather_doc},
    {"select", (PyCFunction)(void (*)(void))select_nodes, METH_FASTCALL, select_doc},
    {"index", (PyCFunction)(void (*)(void))index_walk, METH_FASTCALL, index_doc},
    {"sort_by_start", sort_by_start, METH_O, sort_by_start_doc},
    {"group_by", (PyCFunction)(void (*)(void))group_by, METH_FASTCALL, group_by_doc},
    {"keras_candidates", (PyCFunction)(void (*)(void))keras_candidates, METH_FASTCALL, keras_candidates_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef speedups = {
    PyModuleDef_HEAD_INIT, "keras_compat._speedups",
    "Optional C versions of the core's hottest loops (the same results as the Python ones).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    const char *names[] = {"targets", "lineno", "col_offset", "func", "value", "attr", "id"};
    PyObject **strings[] = {&str_targets, &str_lineno, &str_col_offset, &str_func, &str_value, &str_attr, &str_id};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        *strings[i] = PyUnicode_InternFromString(names[i]);
        if (*strings[i] == NULL) {
            return NULL;
        }
    }
    return PyModule_Create(&speedups);
}
