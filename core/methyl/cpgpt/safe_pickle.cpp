#include "core/methyl/cpgpt/safe_pickle.h"

#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "core/common/error.h"

namespace benchtop::methyl::cpgpt {

using Kind = PickleValue::Kind;

const PickleValue* PickleValue::find(const std::string& key) const {
    if (kind != Kind::Dict) return nullptr;
    for (const auto& [k, v] : dict)
        if (k->kind == Kind::String && k->s == key) return v.get();
    return nullptr;
}

const char* kindName(Kind kind) {
    switch (kind) {
        case Kind::None:
            return "None";
        case Kind::Bool:
            return "bool";
        case Kind::Int:
            return "int";
        case Kind::Float:
            return "float";
        case Kind::String:
            return "str";
        case Kind::Bytes:
            return "bytes";
        case Kind::Tuple:
            return "tuple";
        case Kind::List:
            return "list";
        case Kind::Dict:
            return "dict";
        case Kind::Set:
            return "set";
        case Kind::Global:
            return "class reference";
        case Kind::Object:
            return "object";
        case Kind::Storage:
            return "storage";
        case Kind::Tensor:
            return "tensor";
    }
    return "?";
}

namespace {

PickleRef make(Kind kind) {
    auto v = std::make_shared<PickleValue>();
    v->kind = kind;
    return v;
}

bool storageDType(const std::string& global, tensor::DType& out) {
    using tensor::DType;
    static const std::pair<const char*, DType> kStorages[] = {
        {"torch.DoubleStorage", DType::F64},    {"torch.FloatStorage", DType::F32}, {"torch.HalfStorage", DType::F16},
        {"torch.BFloat16Storage", DType::BF16}, {"torch.LongStorage", DType::I64},  {"torch.IntStorage", DType::I32},
        {"torch.ShortStorage", DType::I16},     {"torch.CharStorage", DType::I8},   {"torch.ByteStorage", DType::U8},
        {"torch.BoolStorage", DType::Bool},
    };
    for (const auto& [name, dtype] : kStorages) {
        if (global == name) {
            out = dtype;
            return true;
        }
    }
    return false;
}

// Nothing is ever called, so these names are harmless here; they are refused because no checkpoint needs them
// and a file that names them was made to run code in a Python loader.
bool isHostileGlobal(const std::string& module, const std::string& name) {
    static const std::unordered_set<std::string> kModules = {
        "os",        "posix",      "nt",         "subprocess", "_posixsubprocess", "sys",      "shutil",   "socket",
        "importlib", "runpy",      "pty",        "ctypes",     "marshal",          "pickle",   "_pickle",  "code",
        "codeop",    "webbrowser", "signal",     "asyncio",    "multiprocessing",  "io",       "_io",      "tempfile",
        "pdb",       "bdb",        "timeit",     "trace",      "profile",          "cProfile", "platform", "commands",
        "popen2",    "pip",        "setuptools", "distutils",  "urllib",           "http",     "ftplib",   "smtplib",
        "telnetlib", "glob",       "threading",  "_thread",    "builtins_exec"};
    const std::string root = module.substr(0, module.find('.'));
    if (kModules.count(root)) return true;
    if (module == "builtins" || module == "__builtin__") {
        static const std::unordered_set<std::string> kBuiltins = {
            "eval",   "exec", "execfile", "compile",    "__import__", "open", "setattr", "delattr", "globals",
            "locals", "vars", "input",    "breakpoint", "help",       "exit", "quit",    "apply"};
        return kBuiltins.count(name) != 0;
    }
    if (module == "operator") return name == "attrgetter" || name == "methodcaller" || name == "itemgetter";
    if (module == "torch.hub" || module == "torch.serialization" || module == "torch.jit" ||
        module.rfind("torch._dynamo", 0) == 0)
        return true;
    return false;
}

constexpr const char* kRebuildTensorV2 = "torch._utils._rebuild_tensor_v2";
constexpr const char* kRebuildParameter = "torch._utils._rebuild_parameter";
constexpr const char* kRebuildParameterState = "torch._utils._rebuild_parameter_with_state";

class Machine {
public:
    Machine(const std::uint8_t* p, std::size_t size, std::string context, const KeyFilter* keep)
        : m_p(p), m_size(size), m_context(std::move(context)), m_keep(keep) {}

    PickleRef run() {
        while (true) {
            if (m_pos >= m_size) fail("the pickle ends without STOP (truncated file?)");
            const std::size_t at = m_pos;
            const std::uint8_t op = m_p[m_pos++];
            switch (op) {
                case 0x80:  // PROTO
                    if (u8() > 5) fail("the pickle protocol is newer than 5");
                    break;
                case 0x95:  // FRAME: a length hint
                    take(8);
                    break;
                case '(':
                    m_marks.push_back(m_stack.size());
                    break;
                case '.':
                    return pop();
                case '0':
                    pop();
                    break;
                case '1':
                    popToMark();
                    break;
                case '2':
                    push(top());
                    break;
                case 'N':
                    push(make(Kind::None));
                    break;
                case 0x88:
                case 0x89: {
                    auto v = make(Kind::Bool);
                    v->i = op == 0x88;
                    push(v);
                    break;
                }
                case 'J':
                    pushInt(static_cast<std::int32_t>(static_cast<std::uint32_t>(le(4))));
                    break;
                case 'K':
                    pushInt(u8());
                    break;
                case 'M':
                    pushInt(static_cast<std::int64_t>(le(2)));
                    break;
                case 0x8a:
                    pushLong(u8());
                    break;
                case 0x8b:
                    pushLong(le(4));
                    break;
                case 'I':
                case 'L': {  // INT / LONG as text ("I01\n" is True)
                    std::string t = line();
                    if (!t.empty() && t.back() == 'L') t.pop_back();
                    if (t == "01" || t == "00") {
                        auto v = make(Kind::Bool);
                        v->i = t == "01";
                        push(v);
                    } else {
                        pushInt(parseInt(t));
                    }
                    break;
                }
                case 'F': {
                    auto v = make(Kind::Float);
                    v->f = std::strtod(line().c_str(), nullptr);
                    push(v);
                    break;
                }
                case 'G': {
                    const std::uint8_t* b = take(8);
                    std::uint64_t bits = 0;
                    for (int k = 0; k < 8; ++k) bits = (bits << 8) | b[k];
                    auto v = make(Kind::Float);
                    std::memcpy(&v->f, &bits, sizeof bits);
                    push(v);
                    break;
                }
                case 'X':
                    pushText(Kind::String, le(4));
                    break;
                case 0x8c:
                    pushText(Kind::String, u8());
                    break;
                case 0x8d:
                    pushText(Kind::String, le(8));
                    break;
                case 'T':
                    pushText(Kind::String, le(4));
                    break;
                case 'U':
                    pushText(Kind::String, u8());
                    break;
                case 'B':
                    pushText(Kind::Bytes, le(4));
                    break;
                case 'C':
                    pushText(Kind::Bytes, u8());
                    break;
                case 0x8e:
                case 0x96:
                    pushText(Kind::Bytes, le(8));
                    break;
                case 'S':
                case 'V': {  // STRING / UNICODE as text: kept as written (escapes are not needed for our keys)
                    auto v = make(Kind::String);
                    v->s = line();
                    if (op == 'S' && v->s.size() >= 2) v->s = v->s.substr(1, v->s.size() - 2);
                    push(v);
                    break;
                }
                case '}':
                    push(make(Kind::Dict));
                    break;
                case 'd': {
                    auto d = make(Kind::Dict);
                    auto kv = popToMark();
                    if (kv.size() % 2) fail("DICT with an odd number of items");
                    for (std::size_t k = 0; k < kv.size(); k += 2) d->dict.emplace_back(kv[k], kv[k + 1]);
                    push(d);
                    break;
                }
                case ']':
                    push(make(Kind::List));
                    break;
                case 'l': {
                    auto l = make(Kind::List);
                    l->items = popToMark();
                    push(l);
                    break;
                }
                case ')':
                    push(make(Kind::Tuple));
                    break;
                case 't': {
                    auto t = make(Kind::Tuple);
                    t->items = popToMark();
                    push(t);
                    break;
                }
                case 0x85:
                case 0x86:
                case 0x87: {
                    const std::size_t n = op - 0x84u;
                    if (m_stack.size() < n + floor()) fail("stack underflow in TUPLE" + std::to_string(n));
                    auto t = make(Kind::Tuple);
                    t->items.assign(m_stack.end() - static_cast<std::ptrdiff_t>(n), m_stack.end());
                    m_stack.resize(m_stack.size() - n);
                    push(t);
                    break;
                }
                case 0x8f:
                    push(make(Kind::Set));
                    break;
                case 0x90: {  // ADDITEMS
                    auto values = popToMark();
                    auto set = top();
                    if (set->kind != Kind::Set) fail(std::string("ADDITEMS on a ") + kindName(set->kind));
                    set->items.insert(set->items.end(), values.begin(), values.end());
                    break;
                }
                case 0x91: {  // FROZENSET
                    auto set = make(Kind::Set);
                    set->items = popToMark();
                    push(set);
                    break;
                }
                case 'a': {
                    auto value = pop();
                    container(Kind::List)->items.push_back(value);
                    break;
                }
                case 'e': {
                    auto values = popToMark();
                    auto list = container(Kind::List);
                    list->items.insert(list->items.end(), values.begin(), values.end());
                    break;
                }
                case 's': {
                    auto value = pop(), key = pop();
                    auto d = container(Kind::Dict);
                    if (kept(key, value)) d->dict.emplace_back(key, value);
                    break;
                }
                case 'u': {
                    auto kv = popToMark();
                    if (kv.size() % 2) fail("SETITEMS with an odd number of items");
                    auto d = container(Kind::Dict);
                    for (std::size_t k = 0; k < kv.size(); k += 2)
                        if (kept(kv[k], kv[k + 1])) d->dict.emplace_back(kv[k], kv[k + 1]);
                    break;
                }
                case 'p':
                    memoPut(static_cast<std::uint64_t>(parseInt(line())));
                    break;
                case 'q':
                    memoPut(u8());
                    break;
                case 'r':
                    memoPut(le(4));
                    break;
                case 0x94:
                    memoPut(m_memo.size());
                    break;
                case 'g':
                    memoGet(static_cast<std::uint64_t>(parseInt(line())));
                    break;
                case 'h':
                    memoGet(u8());
                    break;
                case 'j':
                    memoGet(le(4));
                    break;
                case 'c': {
                    const std::string module = line();
                    const std::string name = line();
                    pushGlobal(module, name);
                    break;
                }
                case 0x93: {
                    auto name = pop(), module = pop();
                    if (module->kind != Kind::String || name->kind != Kind::String)
                        fail("STACK_GLOBAL needs two strings");
                    pushGlobal(module->s, name->s);
                    break;
                }
                case 'i': {  // INST: protocol 0 instance creation, kept as an opaque object
                    const std::string module = line();
                    const std::string name = line();
                    pushGlobal(module, name);
                    auto cls = pop();
                    auto obj = make(Kind::Object);
                    obj->s = cls->s;
                    obj->items = popToMark();
                    push(obj);
                    break;
                }
                case 'o': {
                    auto args = popToMark();
                    if (args.empty() || args[0]->kind != Kind::Global) fail("OBJ without a class");
                    auto obj = make(Kind::Object);
                    obj->s = args[0]->s;
                    obj->items.assign(args.begin() + 1, args.end());
                    push(obj);
                    break;
                }
                case 'Q':
                    push(persistentLoad(pop()));
                    break;
                case 'R': {
                    auto args = pop(), callable = pop();
                    push(reduce(callable, args));
                    break;
                }
                case 0x81: {  // NEWOBJ: cls.__new__(cls, *args)
                    auto args = pop(), cls = pop();
                    push(newObject(cls, args));
                    break;
                }
                case 0x92: {  // NEWOBJ_EX
                    pop();
                    auto args = pop(), cls = pop();
                    push(newObject(cls, args));
                    break;
                }
                case 'b':   // BUILD: object state (dropped: nothing reads it, and it is where back references
                    pop();  // such as OmegaConf's node parents would make reference cycles)
                    top();
                    break;
                default: {
                    char hex[8];
                    std::snprintf(hex, sizeof hex, "0x%02x", op);
                    throw Error(m_context, std::string("unsupported pickle opcode ") + hex + " at byte " +
                                               std::to_string(at) + " (nothing in the file is executed).");
                }
            }
        }
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(m_context, "cannot read the pickle: " + what + ".");
    }
    const std::uint8_t* take(std::uint64_t n) {
        if (n > m_size - m_pos) fail("the pickle is truncated");
        const std::uint8_t* p = m_p + m_pos;
        m_pos += static_cast<std::size_t>(n);
        return p;
    }
    std::uint8_t u8() { return *take(1); }
    std::uint64_t le(int bytes) {
        const std::uint8_t* p = take(static_cast<std::uint64_t>(bytes));
        std::uint64_t v = 0;
        for (int k = bytes - 1; k >= 0; --k) v = (v << 8) | p[k];
        return v;
    }
    std::string line() {
        const std::size_t start = m_pos;
        while (m_pos < m_size && m_p[m_pos] != '\n') ++m_pos;
        if (m_pos >= m_size) fail("the pickle is truncated");
        std::string s(reinterpret_cast<const char*>(m_p + start), m_pos - start);
        ++m_pos;
        return s;
    }
    std::int64_t parseInt(const std::string& t) const {
        try {
            std::size_t used = 0;
            const long long v = std::stoll(t, &used);
            if (used != t.size()) fail("'" + t + "' is not an integer");
            return v;
        } catch (const std::logic_error&) {
            fail("'" + t + "' is not a 64-bit integer");
        }
    }

    std::size_t floor() const { return m_marks.empty() ? 0 : m_marks.back(); }
    void push(PickleRef v) { m_stack.push_back(std::move(v)); }
    PickleRef pop() {
        if (m_stack.size() <= floor()) fail("stack underflow");
        PickleRef v = std::move(m_stack.back());
        m_stack.pop_back();
        return v;
    }
    const PickleRef& top() const {
        if (m_stack.size() <= floor()) fail("stack underflow");
        return m_stack.back();
    }
    std::vector<PickleRef> popToMark() {
        if (m_marks.empty()) fail("no MARK on the stack");
        const std::size_t mark = m_marks.back();
        m_marks.pop_back();
        std::vector<PickleRef> items(m_stack.begin() + static_cast<std::ptrdiff_t>(mark), m_stack.end());
        m_stack.resize(mark);
        return items;
    }
    PickleRef container(Kind kind) const {
        const PickleRef& c = top();
        // Items appended to an opaque object (a dict or list subclass) are kept as its arguments.
        if (c->kind == Kind::Object)
            return c->items.empty() || c->items.back()->kind != kind ? addPart(c, kind) : c->items.back();
        if (c->kind != kind) fail(std::string("adding items to a ") + kindName(c->kind));
        return c;
    }
    static PickleRef addPart(const PickleRef& object, Kind kind) {
        object->items.push_back(make(kind));
        return object->items.back();
    }

    void pushInt(std::int64_t i) {
        auto v = make(Kind::Int);
        v->i = i;
        push(v);
    }
    void pushLong(std::uint64_t n) {
        if (n > 8) fail("an integer wider than 64 bits");
        const std::uint8_t* p = take(n);
        std::uint64_t v = 0;
        for (int k = static_cast<int>(n) - 1; k >= 0; --k) v = (v << 8) | p[k];
        if (n > 0 && n < 8 && (p[n - 1] & 0x80)) v |= ~std::uint64_t(0) << (8 * n);
        pushInt(static_cast<std::int64_t>(v));
    }
    void pushText(Kind kind, std::uint64_t n) {
        auto v = make(kind);
        const std::size_t at = m_pos;
        const std::uint8_t* p = take(n);
        v->s.assign(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
        m_lastText = v.get();
        m_lastTextAt = at;
        push(v);
    }
    bool kept(const PickleRef& key, const PickleRef& value) const {
        if (!m_keep || key->kind != Kind::String) return true;
        const bool leaf = value->kind == Kind::Int || value->kind == Kind::String || value->kind == Kind::Float;
        return !leaf || (*m_keep)(key->s);
    }
    // Big dicts (millions of memoized key strings) would keep every string alive through the memo; a string is
    // remembered as its place in the pickle instead and rebuilt if it is ever read back.
    struct Memo {
        PickleRef ref;
        std::size_t at = 0, size = 0;
        Kind text = Kind::None;
    };
    void memoPut(std::uint64_t index) {
        if (index > m_size) fail("memo index " + std::to_string(index) + " is out of range");
        if (index >= m_memo.size()) m_memo.resize(static_cast<std::size_t>(index) + 1);
        Memo& e = m_memo[static_cast<std::size_t>(index)];
        const PickleRef& v = top();
        // The address alone could be a later value's; the bytes at the recorded place must also match.
        if (v.get() == m_lastText && (v->kind == Kind::String || v->kind == Kind::Bytes) &&
            m_lastTextAt + v->s.size() <= m_size && std::memcmp(m_p + m_lastTextAt, v->s.data(), v->s.size()) == 0) {
            e = {nullptr, m_lastTextAt, v->s.size(), v->kind};
        } else {
            e = {v, 0, 0, Kind::None};
        }
    }
    void memoGet(std::uint64_t index) {
        if (index >= m_memo.size() || (!m_memo[index].ref && m_memo[index].text == Kind::None))
            fail("memo entry " + std::to_string(index) + " is read before it is written");
        const Memo& e = m_memo[static_cast<std::size_t>(index)];
        if (e.ref) return push(e.ref);
        auto v = make(e.text);
        v->s.assign(reinterpret_cast<const char*>(m_p + e.at), e.size);
        push(v);
    }
    void pushGlobal(const std::string& spelledModule, const std::string& name) {
        // Protocol 2 spells Python 3's builtins as __builtin__.
        const std::string module = spelledModule == "__builtin__" ? "builtins" : spelledModule;
        if (isHostileGlobal(module, name))
            throw Error(m_context, "the pickle references '" + module + "." + name +
                                       "', which no checkpoint needs; refusing the file (it was made to run code "
                                       "when loaded in Python; nothing in it is executed here).");
        auto v = make(Kind::Global);
        v->s = module + "." + name;
        push(v);
    }

    PickleRef persistentLoad(const PickleRef& pid) {
        if (pid->kind != Kind::Tuple || pid->items.size() < 5 || pid->items[0]->kind != Kind::String ||
            pid->items[0]->s != "storage" || pid->items[1]->kind != Kind::Global ||
            pid->items[2]->kind != Kind::String || pid->items[4]->kind != Kind::Int)
            fail("a persistent id is not a ('storage', type, key, location, size) tuple");
        const std::string& key = pid->items[2]->s;
        const auto cached = m_storages.find(key);
        if (cached != m_storages.end()) return cached->second;
        auto storage = make(Kind::Storage);
        if (!storageDType(pid->items[1]->s, storage->dtype)) fail("'" + pid->items[1]->s + "' is not a storage type");
        storage->s = key;
        storage->i = pid->items[4]->i;
        if (storage->i < 0) fail("storage '" + key + "' has a negative size");
        m_storages[key] = storage;
        return storage;
    }

    std::vector<std::int64_t> ints(const PickleRef& v, const char* what) const {
        if (v->kind != Kind::Tuple) fail(std::string(what) + " is not a tuple");
        std::vector<std::int64_t> out;
        for (const PickleRef& item : v->items) {
            if (item->kind != Kind::Int || item->i < 0)
                fail(std::string(what) + " holds a non-integer or negative value");
            out.push_back(item->i);
        }
        return out;
    }

    PickleRef newObject(const PickleRef& cls, const PickleRef& args) {
        if (cls->kind != Kind::Global) fail(std::string("NEWOBJ on a ") + kindName(cls->kind));
        if (cls->s == "collections.OrderedDict" || cls->s == "builtins.dict") return make(Kind::Dict);
        if (cls->s == "builtins.list") return make(Kind::List);
        auto obj = make(Kind::Object);
        obj->s = cls->s;
        if (args->kind == Kind::Tuple) obj->items = args->items;
        return obj;
    }

    PickleRef reduce(const PickleRef& callable, const PickleRef& args) {
        if (callable->kind != Kind::Global) fail(std::string("REDUCE calls a ") + kindName(callable->kind));
        if (args->kind != Kind::Tuple) fail("REDUCE arguments are not a tuple");
        const std::string& name = callable->s;
        const auto& a = args->items;
        if (name == "collections.OrderedDict" && a.empty()) return make(Kind::Dict);
        if ((name == "builtins.set" || name == "builtins.frozenset") &&
            (a.empty() || a[0]->kind == Kind::List || a[0]->kind == Kind::Tuple)) {
            auto set = make(Kind::Set);
            if (!a.empty()) set->items = a[0]->items;
            return set;
        }
        if (name == "_codecs.encode" && !a.empty() && a[0]->kind == Kind::String) {
            auto bytes = make(Kind::Bytes);
            bytes->s = a[0]->s;  // protocol 2 spells bytes as latin-1 text; the exact bytes are never needed
            return bytes;
        }
        if ((name == kRebuildParameter || name == kRebuildParameterState) && !a.empty() && a[0]->kind == Kind::Tensor)
            return a[0];
        if (name == kRebuildTensorV2) {
            // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
            if (a.size() < 4 || a[0]->kind != Kind::Storage || a[1]->kind != Kind::Int)
                fail("_rebuild_tensor_v2 is given unexpected arguments");
            auto t = make(Kind::Tensor);
            t->storage = a[0];
            t->offset = a[1]->i;
            t->shape = ints(a[2], "tensor size");
            t->strides = ints(a[3], "tensor stride");
            if (t->offset < 0 || t->shape.size() != t->strides.size())
                fail("a tensor has a negative offset or mismatched size and stride");
            return t;
        }
        if (name.rfind("torch._utils.", 0) == 0 || (name.rfind("torch.", 0) == 0 && storageDType(name, m_ignored)))
            fail("'" + name + "' is called with arguments this reader does not know");
        auto obj = make(Kind::Object);  // functools.partial(...), omegaconf nodes, enums, paths...: data only
        obj->s = name;
        obj->items = a;
        return obj;
    }

    const std::uint8_t* m_p;
    std::size_t m_size;
    std::size_t m_pos = 0;
    std::string m_context;
    std::vector<PickleRef> m_stack;
    std::vector<std::size_t> m_marks;
    const KeyFilter* m_keep;
    std::vector<Memo> m_memo;
    const PickleValue* m_lastText = nullptr;
    std::size_t m_lastTextAt = 0;
    std::unordered_map<std::string, PickleRef> m_storages;
    tensor::DType m_ignored = tensor::DType::F32;
};

}  // namespace

PickleRef readPickle(const std::uint8_t* bytes, std::size_t size, const std::string& context, const KeyFilter* keep) {
    Machine machine(bytes, size, context, keep);
    return machine.run();
}

}  // namespace benchtop::methyl::cpgpt
