#include "core/tensor/torch_pickle_file.h"

#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <unordered_map>

#include "core/common/error.h"

namespace benchtop::tensor {

namespace {

// A pickle value. Containers are shared so that memo references alias, as in Python.
struct Value;
using ValuePtr = std::shared_ptr<Value>;

struct Value {
    enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Storage, Tensor };
    Kind kind = Kind::None;
    std::int64_t i = 0;  // Int, Bool; Storage: element count; Tensor: index into the tensor list
    double f = 0;
    std::string s;                                    // String; Global: "module.name"; Storage: key
    std::vector<ValuePtr> items;                      // Tuple, List
    std::vector<std::pair<ValuePtr, ValuePtr>> dict;  // Dict (insertion order)
    DType dtype = DType::F32;                         // Storage
    ByteView bytes;                                   // Storage
};

ValuePtr make(Value::Kind kind) {
    auto v = std::make_shared<Value>();
    v->kind = kind;
    return v;
}

const char* kindName(Value::Kind k) {
    switch (k) {
        case Value::Kind::None:
            return "None";
        case Value::Kind::Bool:
            return "bool";
        case Value::Kind::Int:
            return "int";
        case Value::Kind::Float:
            return "float";
        case Value::Kind::String:
            return "str";
        case Value::Kind::Tuple:
            return "tuple";
        case Value::Kind::List:
            return "list";
        case Value::Kind::Dict:
            return "dict";
        case Value::Kind::Global:
            return "global";
        case Value::Kind::Storage:
            return "storage";
        case Value::Kind::Tensor:
            return "tensor";
    }
    return "?";
}

// torch.<Type>Storage -> element type.
bool storageDType(const std::string& global, DType& out) {
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

constexpr const char* kOrderedDict = "collections.OrderedDict";
constexpr const char* kRebuildTensorV2 = "torch._utils._rebuild_tensor_v2";
constexpr const char* kRebuildParameter = "torch._utils._rebuild_parameter";

// The pickle machine: only what torch.save(state_dict) emits (protocol 2, plus the harmless
// protocol 4 framing opcodes). Nothing is looked up or called outside the fixed list above.
class PickleMachine {
public:
    PickleMachine(std::string context, ByteView pickle, std::string dataPrefix, ZipArchive& zip,
                  std::vector<PickledTensor>& tensors)
        : m_context(std::move(context)),
          m_p(pickle.data),
          m_size(pickle.size),
          m_dataPrefix(std::move(dataPrefix)),
          m_zip(zip),
          m_tensors(tensors) {}

    ValuePtr run() {
        while (true) {
            if (m_pos >= m_size) fail("the pickle ends without STOP (truncated data.pkl?)");
            const std::size_t at = m_pos;
            const std::uint8_t op = m_p[m_pos++];
            switch (op) {
                case 0x80: {  // PROTO
                    const std::uint8_t proto = u8();
                    if (proto > 5) fail("pickle protocol " + std::to_string(proto) + " is not supported");
                    break;
                }
                case 0x95:
                    take(8);
                    break;  // FRAME: a length hint only
                case '}':
                    push(make(Value::Kind::Dict));
                    break;
                case ']':
                    push(make(Value::Kind::List));
                    break;
                case ')':
                    push(make(Value::Kind::Tuple));
                    break;
                case '(':
                    m_marks.push_back(m_stack.size());
                    break;
                case 'X':
                    pushString(le(4));
                    break;  // BINUNICODE
                case 0x8c:
                    pushString(u8());
                    break;  // SHORT_BINUNICODE
                case 0x8d:
                    pushString(le(8));
                    break;  // BINUNICODE8
                case 'q':
                    memoPut(u8());
                    break;  // BINPUT
                case 'r':
                    memoPut(le(4));
                    break;  // LONG_BINPUT
                case 0x94:
                    memoPut(m_memo.size());
                    break;  // MEMOIZE
                case 'h':
                    memoGet(u8());
                    break;  // BINGET
                case 'j':
                    memoGet(le(4));
                    break;  // LONG_BINGET
                case 'J':
                    pushInt(static_cast<std::int32_t>(static_cast<std::uint32_t>(le(4))));
                    break;  // BININT
                case 'K':
                    pushInt(u8());
                    break;  // BININT1
                case 'M':
                    pushInt(static_cast<std::int64_t>(le(2)));
                    break;  // BININT2
                case 0x8a:
                    pushLong1();
                    break;
                case 'N':
                    push(make(Value::Kind::None));
                    break;
                case 0x88:
                    pushBool(true);
                    break;  // NEWTRUE
                case 0x89:
                    pushBool(false);
                    break;  // NEWFALSE
                case 'G':
                    pushFloat();
                    break;   // BINFLOAT
                case 't': {  // TUPLE
                    auto tuple = make(Value::Kind::Tuple);
                    tuple->items = popToMark();
                    push(tuple);
                    break;
                }
                case 0x85:
                case 0x86:
                case 0x87: {  // TUPLE1..3
                    const std::size_t n = op - 0x84u;
                    if (m_stack.size() < n + stackFloor()) fail("stack underflow in TUPLE" + std::to_string(n));
                    auto tuple = make(Value::Kind::Tuple);
                    tuple->items.assign(m_stack.end() - static_cast<std::ptrdiff_t>(n), m_stack.end());
                    m_stack.resize(m_stack.size() - n);
                    push(tuple);
                    break;
                }
                case 'c': {  // GLOBAL "module\nname\n"
                    const std::string module = line();
                    const std::string name = line();
                    pushGlobal(module + "." + name);
                    break;
                }
                case 0x93: {  // STACK_GLOBAL
                    ValuePtr name = pop(), module = pop();
                    if (module->kind != Value::Kind::String || name->kind != Value::Kind::String)
                        fail("STACK_GLOBAL needs two strings");
                    pushGlobal(module->s + "." + name->s);
                    break;
                }
                case 'Q':
                    push(persistentLoad(pop()));
                    break;   // BINPERSID
                case 'R': {  // REDUCE
                    ValuePtr args = pop(), callable = pop();
                    push(reduce(callable, args));
                    break;
                }
                case 's': {  // SETITEM
                    ValuePtr value = pop(), key = pop();
                    dictOnTop()->dict.emplace_back(key, value);
                    break;
                }
                case 'u': {  // SETITEMS
                    std::vector<ValuePtr> kv = popToMark();
                    if (kv.size() % 2) fail("SETITEMS with an odd number of items");
                    ValuePtr dict = dictOnTop();
                    for (std::size_t k = 0; k < kv.size(); k += 2) dict->dict.emplace_back(kv[k], kv[k + 1]);
                    break;
                }
                case 'a': {  // APPEND
                    ValuePtr value = pop();
                    listOnTop()->items.push_back(value);
                    break;
                }
                case 'e': {  // APPENDS
                    std::vector<ValuePtr> values = popToMark();
                    ValuePtr list = listOnTop();
                    list->items.insert(list->items.end(), values.begin(), values.end());
                    break;
                }
                case 'b': {  // BUILD: state dicts carry `_metadata` (module versions); it is not needed
                    pop();
                    const ValuePtr& target = top();
                    if (target->kind != Value::Kind::Dict && target->kind != Value::Kind::Tensor)
                        fail(std::string("BUILD on a ") + kindName(target->kind) + " is not supported");
                    break;
                }
                case '0':
                    pop();
                    break;   // POP
                case '.': {  // STOP
                    ValuePtr result = pop();
                    return result;
                }
                default: {
                    char hex[8];
                    std::snprintf(hex, sizeof hex, "0x%02x", op);
                    throw Error(m_context, std::string("unsupported pickle opcode ") + hex + " at byte " +
                                               std::to_string(at) +
                                               " in data.pkl; only plain PyTorch state dicts can be read (nothing "
                                               "in the file is executed).");
                }
            }
        }
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(m_context, "cannot read the pickled state dict (data.pkl): " + what + ".");
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
        for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
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

    std::size_t stackFloor() const { return m_marks.empty() ? 0 : m_marks.back(); }
    void push(ValuePtr v) { m_stack.push_back(std::move(v)); }
    ValuePtr pop() {
        if (m_stack.size() <= stackFloor()) fail("stack underflow");
        ValuePtr v = std::move(m_stack.back());
        m_stack.pop_back();
        return v;
    }
    const ValuePtr& top() const {
        if (m_stack.size() <= stackFloor()) fail("stack underflow");
        return m_stack.back();
    }
    std::vector<ValuePtr> popToMark() {
        if (m_marks.empty()) fail("no MARK on the stack");
        const std::size_t mark = m_marks.back();
        m_marks.pop_back();
        std::vector<ValuePtr> items(m_stack.begin() + static_cast<std::ptrdiff_t>(mark), m_stack.end());
        m_stack.resize(mark);
        return items;
    }
    ValuePtr dictOnTop() const {
        const ValuePtr& d = top();
        if (d->kind != Value::Kind::Dict) fail(std::string("SETITEM on a ") + kindName(d->kind));
        return d;
    }
    ValuePtr listOnTop() const {
        const ValuePtr& l = top();
        if (l->kind != Value::Kind::List) fail(std::string("APPEND on a ") + kindName(l->kind));
        return l;
    }

    void pushString(std::uint64_t n) {
        auto v = make(Value::Kind::String);
        const std::uint8_t* p = take(n);
        v->s.assign(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
        push(v);
    }
    void pushInt(std::int64_t i) {
        auto v = make(Value::Kind::Int);
        v->i = i;
        push(v);
    }
    void pushBool(bool b) {
        auto v = make(Value::Kind::Bool);
        v->i = b;
        push(v);
    }
    void pushLong1() {
        const std::uint8_t n = u8();
        if (n > 8) fail("an integer wider than 64 bits");
        const std::uint8_t* p = take(n);
        std::uint64_t v = 0;
        for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
        if (n > 0 && n < 8 && (p[n - 1] & 0x80)) v |= ~std::uint64_t(0) << (8 * n);  // sign-extend
        pushInt(static_cast<std::int64_t>(v));
    }
    void pushFloat() {
        const std::uint8_t* p = take(8);
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | p[i];  // big-endian
        auto v = make(Value::Kind::Float);
        std::memcpy(&v->f, &bits, sizeof bits);
        push(v);
    }
    void memoPut(std::uint64_t index) { m_memo[index] = top(); }
    void memoGet(std::uint64_t index) {
        const auto it = m_memo.find(index);
        if (it == m_memo.end()) fail("memo entry " + std::to_string(index) + " is read before it is written");
        push(it->second);
    }

    void pushGlobal(const std::string& name) {
        DType ignored;
        if (name != kOrderedDict && name != kRebuildTensorV2 && name != kRebuildParameter &&
            !storageDType(name, ignored))
            throw Error(m_context, "the pickle references '" + name +
                                       "', which a state dict never needs; refusing to load it (nothing in the "
                                       "file is executed).");
        auto v = make(Value::Kind::Global);
        v->s = name;
        push(v);
    }

    // ('storage', torch.FloatStorage, '<key>', 'cpu', numel) -> the storage's bytes in the zip.
    ValuePtr persistentLoad(const ValuePtr& pid) {
        if (pid->kind != Value::Kind::Tuple || pid->items.size() < 5 || pid->items[0]->kind != Value::Kind::String ||
            pid->items[0]->s != "storage" || pid->items[1]->kind != Value::Kind::Global ||
            pid->items[2]->kind != Value::Kind::String || pid->items[4]->kind != Value::Kind::Int)
            fail("a persistent id is not a ('storage', type, key, location, size) tuple");
        const std::string& key = pid->items[2]->s;
        auto cached = m_storages.find(key);
        if (cached != m_storages.end()) return cached->second;
        auto storage = make(Value::Kind::Storage);
        if (!storageDType(pid->items[1]->s, storage->dtype)) fail("'" + pid->items[1]->s + "' is not a storage type");
        storage->s = key;
        storage->i = pid->items[4]->i;
        if (storage->i < 0) fail("storage '" + key + "' has a negative size");
        const std::string entry = m_dataPrefix + key;
        if (!m_zip.find(entry))
            throw Error(m_context, "storage '" + entry + "' is missing from the archive (truncated download?).");
        const ByteView bytes = m_zip.read(entry);
        const std::uint64_t need = static_cast<std::uint64_t>(storage->i) * dtypeSize(storage->dtype);
        if (bytes.size < need)
            throw Error(m_context, "storage '" + entry + "' holds " + std::to_string(bytes.size) + " bytes but " +
                                       std::to_string(storage->i) + " " + dtypeName(storage->dtype) +
                                       " elements need " + std::to_string(need) + ".");
        storage->bytes = {bytes.data, static_cast<std::size_t>(need)};
        m_storages[key] = storage;
        return storage;
    }

    std::vector<std::int64_t> intTuple(const ValuePtr& v, const char* what) const {
        if (v->kind != Value::Kind::Tuple) fail(std::string(what) + " is not a tuple");
        std::vector<std::int64_t> out;
        for (const ValuePtr& item : v->items) {
            if (item->kind != Value::Kind::Int || item->i < 0)
                fail(std::string(what) + " holds a non-integer or negative value");
            out.push_back(item->i);
        }
        return out;
    }

    ValuePtr reduce(const ValuePtr& callable, const ValuePtr& args) {
        if (callable->kind != Value::Kind::Global) fail(std::string("REDUCE calls a ") + kindName(callable->kind));
        if (args->kind != Value::Kind::Tuple) fail("REDUCE arguments are not a tuple");
        const std::string& name = callable->s;
        if (name == kOrderedDict) {
            if (!args->items.empty()) fail("OrderedDict is built with arguments");
            return make(Value::Kind::Dict);
        }
        if (name == kRebuildParameter) {
            if (args->items.empty() || args->items[0]->kind != Value::Kind::Tensor)
                fail("_rebuild_parameter is not given a tensor");
            return args->items[0];
        }
        if (name == kRebuildTensorV2) {
            // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
            if (args->items.size() < 4 || args->items[0]->kind != Value::Kind::Storage ||
                args->items[1]->kind != Value::Kind::Int)
                fail("_rebuild_tensor_v2 is given unexpected arguments");
            const Value& storage = *args->items[0];
            PickledTensor t;
            t.dtype = storage.dtype;
            t.storageKey = m_dataPrefix + storage.s;
            t.storage = storage.bytes;
            t.storageOffset = args->items[1]->i;
            t.shape = intTuple(args->items[2], "tensor size");
            t.strides = intTuple(args->items[3], "tensor stride");
            if (t.storageOffset < 0 || t.shape.size() != t.strides.size())
                fail("a tensor has a negative offset or mismatched size and stride");
            // The furthest element the view touches must lie inside the storage.
            const std::uint64_t count = elementCount(t.shape, m_context);
            if (count > 0) {
                std::uint64_t last = static_cast<std::uint64_t>(t.storageOffset);
                for (std::size_t d = 0; d < t.shape.size(); ++d) {
                    const auto extent = static_cast<std::uint64_t>(t.shape[d] - 1);
                    const auto stride = static_cast<std::uint64_t>(t.strides[d]);
                    if (stride != 0 && extent > (std::numeric_limits<std::uint64_t>::max() - last) / stride)
                        fail("a tensor view overflows");
                    last += extent * stride;
                }
                if (last >= static_cast<std::uint64_t>(storage.i))
                    throw Error(m_context, "a tensor view " + formatShape(t.shape) + " at offset " +
                                               std::to_string(t.storageOffset) + " reaches past the end of storage '" +
                                               t.storageKey + "' (" + std::to_string(storage.i) + " elements).");
            }
            auto v = make(Value::Kind::Tensor);
            v->i = static_cast<std::int64_t>(m_tensors.size());
            m_tensors.push_back(std::move(t));
            return v;
        }
        throw Error(m_context, "the pickle calls '" + name + "', which a state dict never needs; refusing to load it.");
    }

    std::string m_context;
    const std::uint8_t* m_p;
    std::size_t m_size;
    std::size_t m_pos = 0;
    std::string m_dataPrefix;
    ZipArchive& m_zip;
    std::vector<PickledTensor>& m_tensors;
    std::vector<ValuePtr> m_stack;
    std::vector<std::size_t> m_marks;
    std::unordered_map<std::uint64_t, ValuePtr> m_memo;
    std::unordered_map<std::string, ValuePtr> m_storages;
};

}  // namespace

TorchPickleFile::TorchPickleFile(const std::string& path)
    : m_zip([&] {
          // A pre-1.6 torch.save file is a bare pickle stream; say so instead of "not a zip".
          MappedFile probe(path);
          if (probe.size() >= 2 && probe.data()[0] == 0x80 && probe.data()[1] <= 5)
              throw Error(path,
                          "is a legacy (pre-1.6) PyTorch file, which cannot be read without executing Python; "
                          "re-save it with a current torch.save or convert it to safetensors.");
          return ZipArchive(path);
      }()) {
    // torch names the root folder after the file ("pytorch_model/data.pkl"); other writers use "archive/".
    const ZipArchive::Entry* pickle = nullptr;
    for (const ZipArchive::Entry& e : m_zip.entries()) {
        const std::size_t slash = e.name.find('/');
        if (slash != std::string::npos && e.name.compare(slash, std::string::npos, "/data.pkl") == 0) {
            pickle = &e;
            m_root = e.name.substr(0, slash);
            break;
        }
    }
    if (!pickle) throw Error(path, "is a zip file without '<archive>/data.pkl', so it is not a PyTorch checkpoint.");
    if (const ZipArchive::Entry* order = m_zip.find(m_root + "/byteorder")) {
        const ByteView b = m_zip.read(order->name);
        if (std::string(reinterpret_cast<const char*>(b.data), b.size) != "little")
            throw Error(path, "was saved on a big-endian machine; only little-endian checkpoints are supported.");
    }
    const std::string pickleName = pickle->name;
    const ByteView pickleBytes = m_zip.read(pickleName);
    PickleMachine machine(path, pickleBytes, m_root + "/data/", m_zip, m_tensors);
    const ValuePtr root = machine.run();
    if (root->kind != Value::Kind::Dict)
        throw Error(path, std::string("holds a pickled ") + kindName(root->kind) + ", not a state dict.");

    std::vector<PickledTensor> byName;
    for (const auto& [key, value] : root->dict) {
        if (key->kind != Value::Kind::String || value->kind != Value::Kind::Tensor) continue;
        if (m_index.count(key->s)) throw Error(path, "tensor '" + key->s + "' appears twice in the state dict.");
        PickledTensor t = m_tensors[static_cast<std::size_t>(value->i)];
        t.name = key->s;
        m_index.emplace(t.name, byName.size());
        m_names.push_back(t.name);
        byName.push_back(std::move(t));
    }
    if (byName.empty())
        throw Error(path,
                    "holds no tensors at the top level of its dict (a training checkpoint? save "
                    "model.state_dict() instead).");
    m_tensors = std::move(byName);
}

const PickledTensor& TorchPickleFile::info(const std::string& name) const {
    const auto it = m_index.find(name);
    if (it == m_index.end()) throw Error(path(), "tensor '" + name + "' not found.");
    return m_tensors[it->second];
}

bool TorchPickleFile::isContiguous(const std::string& name) const {
    const PickledTensor& t = info(name);
    std::int64_t expected = 1;
    for (std::size_t d = t.shape.size(); d-- > 0;) {
        if (t.shape[d] != 1 && t.strides[d] != expected) return false;
        expected *= t.shape[d];
    }
    return true;
}

std::vector<std::uint8_t> TorchPickleFile::contiguousBytes(const std::string& name) const {
    const PickledTensor& t = info(name);
    const std::size_t elem = dtypeSize(t.dtype);
    const std::uint64_t count = elementCount(t.shape, path());
    std::vector<std::uint8_t> out(static_cast<std::size_t>(count) * elem);
    if (count == 0) return out;
    if (isContiguous(name)) {
        std::memcpy(out.data(), t.storage.data + static_cast<std::size_t>(t.storageOffset) * elem, out.size());
        return out;
    }
    // Walk the index space in C order; bounds were checked when the file was read.
    std::vector<std::int64_t> index(t.shape.size(), 0);
    for (std::uint64_t n = 0; n < count; ++n) {
        std::int64_t source = t.storageOffset;
        for (std::size_t d = 0; d < index.size(); ++d) source += index[d] * t.strides[d];
        std::memcpy(out.data() + n * elem, t.storage.data + static_cast<std::size_t>(source) * elem, elem);
        for (std::size_t d = index.size(); d-- > 0;) {
            if (++index[d] < t.shape[d]) break;
            index[d] = 0;
        }
    }
    return out;
}

void TorchPickleFile::checkShape(const std::string& name, const std::vector<std::int64_t>& expected) const {
    tensor::checkShape(path(), name, info(name).shape, expected);
}

}  // namespace benchtop::tensor
