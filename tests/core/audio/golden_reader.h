#pragma once

// Reads the whisper goldens (safetensors, F32 / I64) for the audio tests through core/tensor.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>

#include "core/tensor/safetensors_file.h"
#include "tests/support/shared_paths.h"

namespace benchtop::test {

struct GoldenMatrix {
    std::vector<std::int64_t> shape;
    std::vector<float> values;
};

inline GoldenMatrix readF32(const tensor::SafetensorsFile& file, const std::string& name) {
    const tensor::TensorInfo& info = file.info(name);
    REQUIRE(info.dtype == tensor::DType::F32);
    const tensor::ByteView bytes = file.bytes(name);
    GoldenMatrix out;
    out.shape = info.shape;
    out.values.resize(bytes.size / sizeof(float));
    std::memcpy(out.values.data(), bytes.data, bytes.size);
    return out;
}

inline std::int64_t readI64Scalar(const tensor::SafetensorsFile& file, const std::string& name) {
    const tensor::TensorInfo& info = file.info(name);
    REQUIRE(info.dtype == tensor::DType::I64);
    const tensor::ByteView bytes = file.bytes(name);
    REQUIRE(bytes.size == sizeof(std::int64_t));
    std::int64_t value = 0;
    std::memcpy(&value, bytes.data, sizeof value);
    return value;
}

inline std::string whisperAudio(const std::string& name) {
    return sharedPath("fixtures/whisper/audio/" + name);
}

inline std::string whisperExpected(const std::string& name) {
    return sharedPath("fixtures/whisper/expected/" + name);
}

}  // namespace benchtop::test
