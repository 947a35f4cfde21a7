#include "core/tensor/safetensors_file.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace benchtop::tensor {

namespace {

// Real headers are a few hundred kB even for 100B-parameter models; anything larger is corrupt or
// hostile and would only make us allocate.
constexpr std::uint64_t kMaxHeaderSize = 100ull * 1024 * 1024;

std::uint64_t readLe64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

bool isInt(const nlohmann::json& j) {
    return j.is_number_integer() || j.is_number_unsigned();
}

}  // namespace

SafetensorsFile::SafetensorsFile(const std::string& path) : m_file(path) {
    using nlohmann::json;
    const std::uint64_t fileSize = m_file.size();
    if (fileSize < 8)
        throw Error(path, "is not a safetensors file: it is " + std::to_string(fileSize) +
                              " bytes long, shorter than the 8-byte header length.");
    m_headerSize = readLe64(m_file.data());
    if (m_headerSize > kMaxHeaderSize)
        throw Error(path, "is not a valid safetensors file: header length " + std::to_string(m_headerSize) +
                              " bytes is absurd (more than 100 MB).");
    if (m_headerSize > fileSize - 8)
        throw Error(path, "is truncated or corrupt: header length " + std::to_string(m_headerSize) +
                              " bytes is larger than the rest of the file (" + std::to_string(fileSize - 8) +
                              " bytes).");
    const char* headerBegin = reinterpret_cast<const char*>(m_file.data() + 8);
    m_dataStart = m_file.data() + 8 + m_headerSize;
    const std::uint64_t dataSize = fileSize - 8 - m_headerSize;

    // Duplicate top-level keys would silently shadow each other in the parsed object.
    std::set<std::string> seenKeys;
    std::string duplicate;
    json header;
    try {
        header = json::parse(headerBegin, headerBegin + m_headerSize,
                             [&](int depth, json::parse_event_t event, json& parsed) {
                                 if (depth == 1 && event == json::parse_event_t::key && duplicate.empty() &&
                                     !seenKeys.insert(parsed.get<std::string>()).second)
                                     duplicate = parsed.get<std::string>();
                                 return true;
                             });
    } catch (const json::exception& e) {
        throw Error(path, std::string("has a corrupt safetensors header: not valid JSON (") + e.what() + ").");
    }
    if (!header.is_object()) throw Error(path, "has a corrupt safetensors header: the JSON is not an object.");
    if (!duplicate.empty())
        throw Error(path, "has a corrupt safetensors header: key '" + duplicate + "' appears twice.");

    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string& name = it.key();
        const json& entry = it.value();
        if (name == "__metadata__") {
            if (!entry.is_object())
                throw Error(path, "has a corrupt safetensors header: __metadata__ is not an object.");
            for (auto m = entry.begin(); m != entry.end(); ++m) {
                if (!m.value().is_string())
                    throw Error(path, "has a corrupt safetensors header: __metadata__ value '" + m.key() +
                                          "' is not a string.");
                m_metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string where = "has a corrupt safetensors header: tensor '" + name + "' ";
        if (!entry.is_object()) throw Error(path, where + "is not an object.");
        TensorInfo info;
        info.name = name;
        const auto dtype = entry.find("dtype");
        if (dtype == entry.end() || !dtype->is_string()) throw Error(path, where + "has no dtype string.");
        if (!parseDType(dtype->get<std::string>(), info.dtype))
            throw Error(path, "tensor '" + name + "' has unsupported dtype '" + dtype->get<std::string>() +
                                  "' (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL).");
        const auto shape = entry.find("shape");
        if (shape == entry.end() || !shape->is_array()) throw Error(path, where + "has no shape list.");
        for (const json& d : *shape) {
            if (!isInt(d) || (d.is_number_integer() && d.get<std::int64_t>() < 0) ||
                (d.is_number_unsigned() &&
                 d.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())))
                throw Error(path,
                            where + "has a shape that is not a list of non-negative integers: " + shape->dump() + ".");
            info.shape.push_back(d.get<std::int64_t>());
        }
        const auto offsets = entry.find("data_offsets");
        if (offsets == entry.end() || !offsets->is_array() || offsets->size() != 2 || !isInt((*offsets)[0]) ||
            !isInt((*offsets)[1]) || ((*offsets)[0].is_number_integer() && (*offsets)[0].get<std::int64_t>() < 0) ||
            ((*offsets)[1].is_number_integer() && (*offsets)[1].get<std::int64_t>() < 0))
            throw Error(path, where + "needs data_offsets as two non-negative integers [begin, end].");
        const auto begin = (*offsets)[0].get<std::uint64_t>();
        const auto end = (*offsets)[1].get<std::uint64_t>();
        if (begin > end)
            throw Error(path, where + "has data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                                  "] with begin after end.");
        if (end > dataSize)
            throw Error(path, "is truncated or corrupt: tensor '" + name + "' data_offsets [" + std::to_string(begin) +
                                  ", " + std::to_string(end) + "] lie outside the data section (" +
                                  std::to_string(dataSize) + " bytes).");
        info.offset = begin;
        info.size = end - begin;
        const std::uint64_t count = elementCount(info.shape, path + ": tensor '" + name + "'");
        const std::uint64_t elem = dtypeSize(info.dtype);
        if (count > std::numeric_limits<std::uint64_t>::max() / elem || count * elem != info.size)
            throw Error(path,
                        where + "holds " + std::to_string(info.size) + " bytes but shape " + formatShape(info.shape) +
                            " of " + dtypeName(info.dtype) + " needs " +
                            (count > std::numeric_limits<std::uint64_t>::max() / elem ? std::string("more than 2^64")
                                                                                      : std::to_string(count * elem)) +
                            ".");
        m_tensors.push_back(std::move(info));
    }

    std::sort(m_tensors.begin(), m_tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
        return a.offset != b.offset ? a.offset < b.offset : a.size < b.size;
    });
    // Sorted by offset, each non-empty tensor must start after every earlier one ends; empty tensors
    // occupy no bytes and cannot overlap anything.
    std::uint64_t maxEnd = 0;
    const TensorInfo* maxOwner = nullptr;
    for (const TensorInfo& t : m_tensors) {
        if (t.size == 0) continue;
        if (maxOwner && t.offset < maxEnd)
            throw Error(path, "has a corrupt safetensors header: tensors '" + maxOwner->name + "' and '" + t.name +
                                  "' overlap in the data section.");
        maxEnd = t.offset + t.size;
        maxOwner = &t;
    }

    m_names.reserve(m_tensors.size());
    for (std::size_t i = 0; i < m_tensors.size(); ++i) {
        m_names.push_back(m_tensors[i].name);
        m_index.emplace(m_tensors[i].name, i);
    }
}

const TensorInfo& SafetensorsFile::info(const std::string& name) const {
    const auto it = m_index.find(name);
    if (it == m_index.end()) throw Error(path(), "tensor '" + name + "' not found.");
    return m_tensors[it->second];
}

ByteView SafetensorsFile::bytes(const std::string& name) const {
    const TensorInfo& t = info(name);
    return {m_dataStart + t.offset, static_cast<std::size_t>(t.size)};
}

void SafetensorsFile::checkShape(const std::string& name, const std::vector<std::int64_t>& expected) const {
    tensor::checkShape(path(), name, info(name).shape, expected);
}

}  // namespace benchtop::tensor
