#include "core/tensor/safetensors_writer.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace benchtop::tensor {

namespace fs = std::filesystem;

void writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    std::vector<const TensorToWrite*> order;
    std::set<std::string> names;
    for (const TensorToWrite& t : tensors) {
        if (t.name == "__metadata__") throw Error(path, "a tensor cannot be named __metadata__.");
        if (!names.insert(t.name).second) throw Error(path, "tensor '" + t.name + "' is given twice.");
        const std::uint64_t count = elementCount(t.shape, path + ": tensor '" + t.name + "'");
        if (count * dtypeSize(t.dtype) != t.bytes.size)
            throw Error(path, "tensor '" + t.name + "' has " + std::to_string(t.bytes.size) + " bytes but shape " +
                                  formatShape(t.shape) + " of " + dtypeName(t.dtype) + " needs " +
                                  std::to_string(count * dtypeSize(t.dtype)) + ".");
        order.push_back(&t);
    }
    std::sort(order.begin(), order.end(), [](const TensorToWrite* a, const TensorToWrite* b) {
        const std::size_t sa = dtypeSize(a->dtype), sb = dtypeSize(b->dtype);
        return sa != sb ? sa > sb : a->name < b->name;
    });

    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) {
        nlohmann::ordered_json meta = nlohmann::ordered_json::object();
        for (const auto& [k, v] : metadata) meta[k] = v;
        header["__metadata__"] = std::move(meta);
    }
    std::uint64_t offset = 0;
    for (const TensorToWrite* t : order) {
        header[t->name] = {
            {"dtype", dtypeName(t->dtype)}, {"shape", t->shape}, {"data_offsets", {offset, offset + t->bytes.size}}};
        offset += t->bytes.size;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');

    const std::string partPath = path + ".part";
    {
        std::ofstream out(fs::u8path(partPath), std::ios::binary | std::ios::trunc);
        if (!out) throw Error(partPath, "cannot create the file.");
        unsigned char len[8];
        for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>((text.size() >> (8 * i)) & 0xff);
        out.write(reinterpret_cast<const char*>(len), 8);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        for (const TensorToWrite* t : order)
            if (t->bytes.size)
                out.write(reinterpret_cast<const char*>(t->bytes.data), static_cast<std::streamsize>(t->bytes.size));
        out.flush();
        if (!out) {
            out.close();
            std::error_code ec;
            fs::remove(fs::u8path(partPath), ec);
            throw Error(partPath, "writing failed (disk full?).");
        }
    }
    std::error_code ec;
    fs::rename(fs::u8path(partPath), fs::u8path(path), ec);
    if (ec) {
        const std::string reason = ec.message();
        fs::remove(fs::u8path(partPath), ec);
        throw Error(path, "cannot replace the file with the finished " + partPath + ": " + reason + ".");
    }
}

}  // namespace benchtop::tensor
