#include "core/methyl/cpgpt/lightning_checkpoint.h"

#include <functional>
#include <limits>
#include <unordered_set>

#include "core/common/error.h"
#include "core/methyl/cpgpt/safe_pickle.h"

namespace benchtop::methyl::cpgpt {

namespace {

using Kind = PickleValue::Kind;

int countObjects(const PickleValue& v, std::unordered_set<const PickleValue*>& seen) {
    if (!seen.insert(&v).second) return 0;  // shared (memoized) values count once
    int n = v.kind == Kind::Object ? 1 : 0;
    for (const PickleRef& item : v.items) n += countObjects(*item, seen);
    for (const auto& [key, value] : v.dict) n += countObjects(*value, seen);
    return n;
}

std::string renamed(const std::string& name) {
    static const std::string kCompiled = "net._orig_mod.";
    if (name.rfind(kCompiled, 0) == 0) return "net." + name.substr(kCompiled.size());
    return name;
}

}  // namespace

LightningCheckpoint::LightningCheckpoint(const std::string& path) : m_path(path), m_zip(path) {
    const tensor::ZipArchive::Entry* pickle = nullptr;
    std::string root;
    for (const tensor::ZipArchive::Entry& e : m_zip.entries()) {
        const std::size_t slash = e.name.find('/');
        if (slash != std::string::npos && e.name.compare(slash, std::string::npos, "/data.pkl") == 0) {
            pickle = &e;
            root = e.name.substr(0, slash);
            break;
        }
    }
    if (!pickle) throw Error(path, "is a zip file without '<archive>/data.pkl', so it is not a PyTorch checkpoint.");
    if (const tensor::ZipArchive::Entry* order = m_zip.find(root + "/byteorder")) {
        const tensor::ByteView b = m_zip.read(order->name);
        if (std::string(reinterpret_cast<const char*>(b.data), b.size) != "little")
            throw Error(path, "was saved on a big-endian machine; only little-endian checkpoints are supported.");
    }
    const std::string pickleName = pickle->name;
    const tensor::ByteView bytes = m_zip.read(pickleName);
    const PickleRef top = readPickle(bytes.data, bytes.size, path);
    if (top->kind != Kind::Dict)
        throw Error(path, std::string("holds a pickled ") + kindName(top->kind) + ", not a checkpoint dict.");
    const PickleValue* stateDict = top->find("state_dict");
    if (!stateDict) {
        const bool plain = !top->dict.empty() && top->dict.front().second->kind == Kind::Tensor;
        if (!plain) throw Error(path, "has no 'state_dict' entry, so it is not a Lightning checkpoint.");
        stateDict = top.get();
    }
    if (stateDict->kind != Kind::Dict)
        throw Error(path, std::string("'state_dict' is a ") + kindName(stateDict->kind) + ", not a dict of tensors.");
    if (const PickleValue* hparams = top->find("hyper_parameters")) {
        std::unordered_set<const PickleValue*> seen;
        m_foreignObjects = countObjects(*hparams, seen);
    }

    const std::string dataPrefix = root + "/data/";
    for (const auto& [key, value] : stateDict->dict) {
        if (key->kind != Kind::String) throw Error(path, "the state dict has a key that is not a string.");
        if (value->kind != Kind::Tensor)
            throw Error(path, "state_dict entry '" + key->s + "' is a " + kindName(value->kind) + ", not a tensor.");
        const PickleValue& storage = *value->storage;
        tensor::PickledTensor t;
        t.name = renamed(key->s);
        t.dtype = storage.dtype;
        t.shape = value->shape;
        t.strides = value->strides;
        t.storageOffset = value->offset;
        t.storageKey = dataPrefix + storage.s;
        if (!m_zip.find(t.storageKey))
            throw Error(path, "storage '" + t.storageKey + "' is missing from the archive (truncated download?).");
        const tensor::ByteView data = m_zip.read(t.storageKey);
        const std::uint64_t need = static_cast<std::uint64_t>(storage.i) * tensor::dtypeSize(storage.dtype);
        if (data.size < need)
            throw Error(path, "storage '" + t.storageKey + "' holds " + std::to_string(data.size) + " bytes but " +
                                  std::to_string(storage.i) + " " + tensor::dtypeName(storage.dtype) +
                                  " elements need " + std::to_string(need) + ".");
        t.storage = {data.data, static_cast<std::size_t>(need)};
        // The furthest element the view touches must lie inside the storage.
        if (tensor::elementCount(t.shape, path) > 0) {
            std::uint64_t last = static_cast<std::uint64_t>(t.storageOffset);
            for (std::size_t d = 0; d < t.shape.size(); ++d) {
                const auto extent = static_cast<std::uint64_t>(t.shape[d] - 1);
                const auto stride = static_cast<std::uint64_t>(t.strides[d]);
                if (stride != 0 && extent > (std::numeric_limits<std::uint64_t>::max() - last) / stride)
                    throw Error(path, "tensor '" + t.name + "' has a view that overflows.");
                last += extent * stride;
            }
            if (last >= static_cast<std::uint64_t>(storage.i))
                throw Error(path, "tensor '" + t.name + "' reaches past the end of storage '" + t.storageKey + "'.");
        }
        if (m_index.count(t.name)) throw Error(path, "tensor '" + t.name + "' appears twice in the state dict.");
        m_index.emplace(t.name, m_tensors.size());
        m_names.push_back(t.name);
        m_tensors.push_back(std::move(t));
    }
    if (m_tensors.empty()) throw Error(path, "has an empty state dict.");
}

const tensor::PickledTensor& LightningCheckpoint::info(const std::string& name) const {
    const auto it = m_index.find(name);
    if (it == m_index.end()) throw Error(m_path, "tensor '" + name + "' not found.");
    return m_tensors[it->second];
}

}  // namespace benchtop::methyl::cpgpt
