#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor/dtype.h"

namespace benchtop::methyl::cpgpt {

struct PickleValue;
using PickleRef = std::shared_ptr<PickleValue>;

/// A value of a pickle read without executing it. Classes the reader does not know (functools.partial,
/// OmegaConf containers, optimizer classes...) become opaque `Object`s: their constructor is never looked up or
/// called; their constructor arguments are kept as data, their state (BUILD) is dropped.
struct PickleValue {
    enum class Kind { None, Bool, Int, Float, String, Bytes, Tuple, List, Dict, Set, Global, Object, Storage, Tensor };
    Kind kind = Kind::None;
    std::int64_t i = 0;  ///< Int, Bool; Storage: element count
    double f = 0;
    std::string s;                                      ///< String, Bytes; Global/Object: "module.name"; Storage: key
    std::vector<PickleRef> items;                       ///< Tuple, List, Set; Object: constructor arguments
    std::vector<std::pair<PickleRef, PickleRef>> dict;  ///< Dict, in insertion order
    tensor::DType dtype = tensor::DType::F32;           ///< Storage
    PickleRef storage;                                  ///< Tensor
    std::int64_t offset = 0;                            ///< Tensor: storage offset in elements
    std::vector<std::int64_t> shape, strides;           ///< Tensor

    /// The value stored under string key `key` of a Dict, or nullptr.
    const PickleValue* find(const std::string& key) const;
};

/// Human name of a kind ("dict", "object").
const char* kindName(PickleValue::Kind kind);

/// Runs the pickle `bytes` (protocols 0-5) on a data-only machine. torch storages (persistent ids
/// ('storage', torch.FloatStorage, key, location, numel)) become Storage values and
/// torch._utils._rebuild_tensor_v2 / _rebuild_parameter become Tensor values; OrderedDict, set and
/// frozenset become containers; any other class becomes an opaque Object. Globals from modules that can run
/// code or touch the system (os, posix, subprocess, builtins.eval, ...) are refused: a checkpoint never needs
/// them, so a file naming them was built to attack a Python loader. Throws benchtop::Error(context, ...) on
/// those, on malformed or truncated data and on opcodes that need Python (extension registry, out-of-band
/// buffers).
///
/// `keep`, when given, filters big lookup tables as they are read: a dict entry whose key is a string and whose
/// value is a number or a string is stored only when keep(key) is true (nested containers are always kept).
using KeyFilter = std::function<bool(const std::string&)>;
PickleRef readPickle(const std::uint8_t* bytes, std::size_t size, const std::string& context,
                     const KeyFilter* keep = nullptr);

}  // namespace benchtop::methyl::cpgpt
