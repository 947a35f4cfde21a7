#include "core/text/embedding_task.h"

#include "core/engine/shard.h"
#include "core/text/embedding_merge.h"

#include "core/tensor/dtype.h"

#include "core/common/error.h"
#include "core/common/memory_check.h"
#include "core/common/strings.h"
#include "core/hub/model_store.h"
#include "core/tensor/npy_writer.h"
#include "core/tensor/safetensors_writer.h"
#include "core/text/text_encoder.h"
#include "core/text/tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <tuple>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string_view>

namespace benchtop::text {
namespace {

namespace fs = std::filesystem;

/// Lines split on "\n" only (a final empty element dropped), "\r" stripped at the end of each line.
std::vector<std::string> splitLines(const std::string& content) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start <= content.size()) {
        size_t end = content.find('\n', start);
        if (end == std::string::npos) end = content.size();
        std::string line = content.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
        start = end + 1;
    }
    if (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
}

/// RFC 4180 records (quoted fields may contain the delimiter, quotes and newlines).
std::vector<std::vector<std::string>> parseDelimited(const std::string& content, char delim) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    for (size_t i = 0; i < content.size(); ++i) {
        char c = content[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < content.size() && content[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else
                    quoted = false;
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty()) {
            quoted = true;
            any = true;
        } else if (c == delim) {
            row.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (c == '\r' && i + 1 < content.size() && content[i + 1] == '\n') {
        } else if (c == '\n') {
            row.push_back(std::move(field));
            field.clear();
            rows.push_back(std::move(row));
            row.clear();
            any = false;
        } else {
            field += c;
            any = true;
        }
    }
    if (any || !field.empty() || !row.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string extensionOf(const std::string& path) {
    std::string name = toLowerAscii(fs::path(path).filename().string());
    for (const char* ext : {".txt", ".csv", ".tsv", ".jsonl"})
        if (name.size() >= std::strlen(ext) &&
            name.compare(name.size() - std::strlen(ext), std::string::npos, ext) == 0)
            return ext;
    return {};
}

struct TextItem {
    SourceText text;
    Encoding encoding;
    std::vector<float> embedding;
    LexicalWeights sparse;
    std::vector<float> colbert;  // [tokens - 1, colbert dim]
};

class EmbeddingTask : public engine::Task {
public:
    explicit EmbeddingTask(engine::JobSpec spec) : m_spec(std::move(spec)), m_shard(engine::shardOf(m_spec)) {}

    // After load(): the budget, and what one token of a batch costs on the device (for GPU budgets).
    engine::BatchLimits batchLimits() const override {
        engine::BatchLimits limits = embeddingBatchLimits(m_precision);
        if (m_encoder) limits.bytesPerUnit = activationBytesPerToken(m_encoder->config(), m_precision, m_maxLength);
        return limits;
    }

    void read(engine::TaskContext& ctx, const std::function<void(engine::Item&&)>& emit) override {
        ensureTokenizer();
        std::vector<SourceText> all;
        for (const auto& input : m_spec.inputs) {
            auto texts = readTexts(input, m_spec.option("column"), m_spec.option("field"));
            for (auto& t : texts) all.push_back(std::move(t));
        }
        if (all.empty()) throw Error(m_spec.inputs.front(), "has no texts to embed (a header without rows?).");
        // A part of a split job (--shard I/N) embeds its contiguous range of the texts; ids stay global.
        m_total = all.size();
        std::tie(m_first, m_end) = m_shard.range(all.size());
        all.erase(all.begin() + static_cast<std::ptrdiff_t>(m_end), all.end());
        all.erase(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(m_first));
        if (all.empty())
            throw Error("--shard " + m_shard.toString(), "this part has no texts: the input has only " +
                                                             std::to_string(m_total) + " (use fewer parts).");
        ctx.setExpectedTotal(static_cast<double>(all.size()));
        for (auto& t : all) {
            ctx.throwIfCancelled();
            engine::Item item;
            item.id = t.source;
            item.data = std::make_shared<TextItem>(TextItem{std::move(t), {}, {}, {}, {}});
            emit(std::move(item));
        }
    }

    void prepare(engine::TaskContext&, engine::Item& item) override {
        auto& t = item.as<TextItem>();
        t.encoding = encodeForEmbedding(*m_tokenizer, t.text.text, m_outputs.anyHead(), m_maxLength);
        item.length = static_cast<std::int64_t>(t.encoding.ids.size());
    }

    void load(engine::TaskContext& ctx) override {
        ensureTokenizer();
        const auto& choice = ctx.device();
        m_precision = device::toString(choice.precision);
        m_device = choice.device.id.empty() ? "cpu" : choice.device.id;
        // Borrowed from the engine's model cache: the next job with this model, device and heads reuses it.
        const std::string key = textEncoderCacheKey(
            m_modelDir, m_precision,
            std::string(m_outputs.dense ? "d" : "") + (m_outputs.sparse ? "s" : "") + (m_outputs.colbert ? "c" : ""));
        m_encoder = engine::borrowModel<TextEncoder>(
            ctx, key,
            [&]() -> std::shared_ptr<TextEncoder> {
                return TextEncoder::load(m_modelDir, m_device, m_precision, m_outputs);
            },
            engine::ModelCache::estimateFolderBytes(m_modelDir, m_precision));
        m_dimension = m_encoder->dimension();
        m_colbertDimension = m_encoder->colbertDimension();
        m_pooling = m_encoder->pooling();
    }

    void run(engine::TaskContext& ctx, const std::vector<engine::Item*>& batch) override {
        std::vector<Encoding> encodings;
        encodings.reserve(batch.size());
        for (auto* item : batch) encodings.push_back(item->as<TextItem>().encoding);
        const auto start = std::chrono::steady_clock::now();
        EncodedBatch padded = m_encoder->tokenizer().pad(encodings);
        EncoderOutputs out = m_encoder->encode(padded);
        const size_t dim = m_dimension;
        for (size_t r = 0; r < batch.size(); ++r) {
            auto& t = batch[r]->as<TextItem>();
            if (m_outputs.dense) t.embedding.assign(out.dense.begin() + r * dim, out.dense.begin() + (r + 1) * dim);
            if (m_outputs.sparse) t.sparse = std::move(out.sparse[r]);
            if (m_outputs.colbert) t.colbert = std::move(out.colbert[r]);
        }
        m_runSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        m_paddedTokens += static_cast<std::int64_t>(padded.rows * padded.columns);
    }

    void finish(engine::TaskContext& ctx, std::vector<engine::Item>& items) override {
        const std::string dtypeOption = toLowerAscii(m_spec.option("dtype", "float32"));
        const bool half = dtypeOption == "float16" || dtypeOption == "fp16" || dtypeOption == "f16";
        if (!half && dtypeOption != "float32" && dtypeOption != "fp32" && dtypeOption != "f32")
            throw Error("option dtype", "'" + dtypeOption + "' is not supported; use float32 or float16.");
        const std::int64_t dim = static_cast<std::int64_t>(m_dimension);
        if (m_outputs.dense) {
            tensor::NpyWriter writer(ctx.outputPath("embeddings.npy"), half ? tensor::DType::F16 : tensor::DType::F32,
                                     {static_cast<std::int64_t>(items.size()), dim}, tensor::NpyWriter::Mode::Direct);
            std::vector<std::uint16_t> halfRow(m_dimension);
            for (auto& item : items) {
                const auto& e = item.as<TextItem>().embedding;
                if (e.size() != m_dimension) throw Error(item.id, "no embedding was computed for this text.");
                if (half) {
                    for (size_t i = 0; i < e.size(); ++i) halfRow[i] = tensor::floatToHalf(e[i]);
                    writer.appendRows(halfRow.data(), 1);
                } else {
                    writer.appendRows(e.data(), 1);
                }
            }
            writer.close();
        }
        if (m_outputs.sparse) writeSparse(ctx.outputPath("sparse.jsonl"), items, m_first);
        if (m_outputs.colbert) writeColbert(ctx.outputPath("colbert.safetensors"), items, half);
        size_t truncated = 0;
        std::int64_t tokens = 0;
        {
            std::ofstream out(ctx.outputPath("texts.jsonl"), std::ios::binary);
            for (size_t i = 0; i < items.size(); ++i) {
                const auto& t = items[i].as<TextItem>();
                truncated += t.encoding.truncated ? 1 : 0;
                tokens += static_cast<std::int64_t>(t.encoding.ids.size());
                nlohmann::json line = {{"id", m_first + i},
                                       {"source", t.text.source},
                                       {"text", t.text.text},
                                       {"tokens", t.encoding.ids.size()},
                                       {"truncated", t.encoding.truncated}};
                out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            }
            if (!out) throw Error(ctx.outputPath("texts.jsonl"), "could not write the file (disk full?).");
        }
        {
            std::string pooling = m_pooling.cls           ? "cls"
                                  : m_pooling.max         ? "max"
                                  : m_pooling.meanSqrtLen ? "mean_sqrt_len"
                                                          : "mean";
            nlohmann::json info = {
                {"model", fs::absolute(m_modelDir).string()},
                {"model_ref", m_spec.model},
                {"pooling", pooling},
                {"normalize", m_pooling.normalize},
                {"dim", m_dimension},
                {"max_length", m_maxLength},
                {"precision", m_precision},
                {"dtype", half ? "float16" : "float32"},
                {"count", items.size()},
                {"outputs", m_outputs.toString()},
                {"device", m_device},
                {"tokens", tokens},
                {"padded_tokens", m_paddedTokens},
                {"padding_efficiency", m_paddedTokens > 0 ? double(tokens) / double(m_paddedTokens) : 1.0},
                {"run_seconds", m_runSeconds},
                {"texts_per_second", m_runSeconds > 0 ? double(items.size()) / m_runSeconds : 0.0},
                {"tokens_per_second", m_runSeconds > 0 ? double(tokens) / m_runSeconds : 0.0}};
            if (m_outputs.colbert) info["colbert_dim"] = m_colbertDimension;
            info["inputs"] = m_spec.inputs;
            info["options"] = m_spec.options;
            info["benchtop_version"] = BENCHTOP_VERSION;
            if (m_shard.split())
                info["shard"] = {{"index", m_shard.index},
                                 {"count", m_shard.count},
                                 {"first", m_first},
                                 {"end", m_end},
                                 {"total", m_total}};
            std::ofstream out(ctx.outputPath("embedding_info.json"), std::ios::binary);
            out << info.dump(2) << '\n';
        }
        if (truncated > 0)
            ctx.log(std::to_string(truncated) + " of " + std::to_string(items.size()) + " texts truncated to " +
                    std::to_string(m_maxLength) + " tokens");
        std::string summary = std::to_string(items.size()) + " texts x " + std::to_string(m_dimension) + " dims (" +
                              std::to_string(tokens) + " tokens)";
        if (m_outputs.anyHead()) summary += "; outputs " + m_outputs.toString();
        ctx.setSummary(summary);
    }

    void unload(engine::TaskContext&) override { m_encoder.reset(); }

private:
    /// sparse.jsonl: one line per text, {"id": i, "weights": {"<token id>": weight, ...}} with the ids as
    /// strings in first-occurrence order, as FlagEmbedding returns lexical_weights.
    static void writeSparse(const std::string& path, const std::vector<engine::Item>& items, std::size_t firstId) {
        std::ofstream out(path, std::ios::binary);
        for (size_t i = 0; i < items.size(); ++i) {
            nlohmann::ordered_json weights = nlohmann::ordered_json::object();
            for (const auto& [id, w] : items[i].as<TextItem>().sparse) weights[std::to_string(id)] = w;
            nlohmann::ordered_json line;
            line["id"] = firstId + i;
            line["weights"] = std::move(weights);
            out << line.dump() << '\n';
        }
        if (!out) throw Error(path, "could not write the file (disk full?).");
    }

    /// colbert.safetensors: "colbert" [total tokens, D] (the vectors of every text, one after the other)
    /// and "offsets" I64 [n + 1]: rows offsets[i] .. offsets[i+1] belong to text i.
    void writeColbert(const std::string& path, const std::vector<engine::Item>& items, bool half) const {
        const size_t d = m_colbertDimension;
        std::vector<std::int64_t> offsets{0};
        offsets.reserve(items.size() + 1);
        for (const auto& item : items)
            offsets.push_back(offsets.back() + static_cast<std::int64_t>(item.as<TextItem>().colbert.size() / d));
        const size_t total = static_cast<size_t>(offsets.back()) * d;
        std::vector<float> values;
        std::vector<std::uint16_t> halves;
        if (half)
            halves.reserve(total);
        else
            values.reserve(total);
        for (const auto& item : items)
            for (float v : item.as<TextItem>().colbert) {
                if (half)
                    halves.push_back(tensor::floatToHalf(v));
                else
                    values.push_back(v);
            }
        const std::vector<std::int64_t> shape{offsets.back(), static_cast<std::int64_t>(d)};
        const tensor::ByteView data =
            half ? tensor::ByteView{reinterpret_cast<const std::uint8_t*>(halves.data()), halves.size() * 2}
                 : tensor::ByteView{reinterpret_cast<const std::uint8_t*>(values.data()), values.size() * 4};
        tensor::writeSafetensors(path,
                                 {{"colbert", half ? tensor::DType::F16 : tensor::DType::F32, shape, data},
                                  {"offsets",
                                   tensor::DType::I64,
                                   {static_cast<std::int64_t>(offsets.size())},
                                   {reinterpret_cast<const std::uint8_t*>(offsets.data()), offsets.size() * 8}}},
                                 {{"format", "pt"}, {"model", fs::absolute(m_modelDir).string()}});
    }

    void ensureTokenizer() {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_tokenizer) return;
        if (m_spec.model.empty())
            throw Error("text embeddings", "no model given; pass a model folder or catalog id (--model).");
        m_modelDir = resolveTextModel(m_spec.model);
        m_tokenizer = std::make_unique<Tokenizer>(Tokenizer::fromFolder(m_modelDir));
        m_maxLength = m_tokenizer->maxLength();
        m_outputs = OutputSelection::parse(m_spec.option("outputs"));
        const std::string opt = m_spec.option("max-length", m_spec.option("max_length"));
        if (!opt.empty()) {
            try {
                long long v = std::stoll(opt);
                if (v <= 2) throw std::invalid_argument("small");
                m_maxLength = static_cast<size_t>(v);
            } catch (const std::exception&) {
                throw Error("option max-length", "'" + opt + "' is not a token count above 2.");
            }
        }
    }

    engine::JobSpec m_spec;
    engine::Shard m_shard;
    std::size_t m_first = 0;  ///< this part's texts: [m_first, m_end) of m_total
    std::size_t m_end = 0;
    std::size_t m_total = 0;
    std::mutex m_mutex;
    std::string m_modelDir;
    std::unique_ptr<Tokenizer> m_tokenizer;
    size_t m_maxLength = 0;
    std::shared_ptr<TextEncoder> m_encoder;  ///< borrowed from the engine's model cache while the job runs
    std::string m_precision = "fp32";
    std::string m_device = "cpu";
    OutputSelection m_outputs;
    size_t m_dimension = 0;
    size_t m_colbertDimension = 0;
    PoolingConfig m_pooling;
    double m_runSeconds = 0;          // device time spent in run(), for the throughput in embedding_info.json
    std::int64_t m_paddedTokens = 0;  // rows x columns over all batches
};

}  // namespace

namespace {

/// Offset of the first byte that does not belong to well-formed UTF-8 (overlong forms, surrogates and
/// code points past U+10FFFF included), or npos.
std::size_t firstInvalidUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        std::uint32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF)
            length = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            length = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            length = 4, cp = c & 0x07;
        else
            return i;
        if (i + length > text.size()) return i;
        for (std::size_t k = 1; k < length; ++k) {
            const auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((length == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (length == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return i;
        i += length;
    }
    return std::string::npos;
}

/// "corpus.txt:3" and the column of byte `offset`.
std::string lineOf(const std::string& name, std::string_view text, std::size_t offset, std::size_t* column) {
    const std::size_t line =
        static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n')) +
        1;
    const std::size_t start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    *column = offset - (start == std::string_view::npos || offset == 0 ? 0 : start + 1) + 1;
    return name + ":" + std::to_string(line);
}

}  // namespace

std::vector<SourceText> readTexts(const std::string& path, const std::string& column, const std::string& field) {
    const std::string ext = extensionOf(path);
    const std::string name = fs::path(path).filename().string();
    // The file, its lines and the texts are held at once, and then every text's tokens: ~8x the file.
    {
        std::error_code ec;
        const auto size = fs::file_size(path, ec);
        if (!ec) requireMemoryFor(path, std::uint64_t(size) * 8, "texts to embed");
    }
    const std::string content = readWholeFile(path);
    std::vector<SourceText> texts;
    // Bytes first: texts are UTF-8 without NULs (a NUL means a binary file or UTF-16).
    if (content.find_first_not_of(" \t\r\n") == std::string::npos)
        throw Error(path, content.empty() ? "is empty: there is no text to embed."
                                          : "holds only blank lines: there is no text to embed.");
    if (const std::size_t nul = content.find('\0'); nul != std::string::npos) {
        std::size_t col = 0;
        const std::string where = lineOf(name, content, nul, &col);
        throw Error(where, "has a NUL byte (column " + std::to_string(col) +
                               "): this is binary data or UTF-16 text, not UTF-8 text; save it as UTF-8.");
    }
    if (const std::size_t bad = firstInvalidUtf8(content); bad != std::string::npos) {
        std::size_t col = 0;
        const std::string where = lineOf(name, content, bad, &col);
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(content[bad])));
        throw Error(where, std::string("is not valid UTF-8 (byte ") + hex + " at column " + std::to_string(col) +
                               "); save the file as UTF-8 (it may be Latin-1 or Windows-1252).");
    }
    if (ext == ".csv" || ext == ".tsv") {
        auto rows = parseDelimited(content, ext == ".tsv" ? '\t' : ',');
        if (rows.empty()) return texts;
        const auto& header = rows.front();
        size_t col = 0;
        bool found = false;
        if (!column.empty()) {
            for (size_t i = 0; i < header.size(); ++i)
                if (header[i] == column) {
                    col = i;
                    found = true;
                    break;
                }
            if (!found)
                throw Error(path, "has no column named '" + column + "'; the columns are the first line's names.");
        } else {
            for (const char* want : {"text", "sentence", "content"}) {
                for (size_t i = 0; i < header.size() && !found; ++i)
                    if (toLowerAscii(header[i]) == want) {
                        col = i;
                        found = true;
                    }
                if (found) break;
            }
            if (!found && header.size() > 1) {
                std::string names;
                for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
                throw Error(path,
                            "has no column named text, sentence or content; choose the column of the texts "
                            "with the option column (columns: " +
                                names + ").");
            }
        }
        for (size_t r = 1; r < rows.size(); ++r) {
            if (rows[r].size() == 1 && rows[r][0].empty()) continue;  // blank line
            texts.push_back({col < rows[r].size() ? rows[r][col] : std::string(), name + ":" + std::to_string(r + 1)});
        }
        return texts;
    }
    auto lines = splitLines(content);
    if (ext == ".jsonl") {
        const std::string key = field.empty() ? "text" : field;
        for (size_t i = 0; i < lines.size(); ++i) {
            if (lines[i].find_first_not_of(" \t") == std::string::npos) continue;
            const std::string where = name + ":" + std::to_string(i + 1);
            nlohmann::json j;
            try {
                j = nlohmann::json::parse(lines[i]);
            } catch (const std::exception& e) {
                throw Error(where, std::string("is not valid JSON: ") + e.what());
            }
            if (!j.is_object() || !j.contains(key) || !j[key].is_string())
                throw Error(where, "has no string field '" + key + "'; choose the field with the option field.");
            texts.push_back({j[key].get<std::string>(), where});
        }
        return texts;
    }
    for (size_t i = 0; i < lines.size(); ++i) texts.push_back({lines[i], name + ":" + std::to_string(i + 1)});
    return texts;
}

std::string resolveTextModel(const std::string& ref) {
    std::error_code ec;
    if (fs::is_directory(ref, ec)) return ref;
    try {
        return hub::ModelStore(hub::Catalog::loadDefault()).resolve(ref);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ref, std::string("is not a model folder and could not be resolved: ") + e.what());
    }
}

std::uint64_t activationBytesPerToken(const BertConfig& config, const std::string& precision, std::size_t maxLength) {
    const std::uint64_t bytes = precision == "fp32" ? 4 : 2;
    // Live at the peak of one layer: the hidden states and their residual copies (~8 x hidden), the feed-forward
    // activation (intermediate) and one row of attention scores per head (heads x sequence length).
    const std::uint64_t perToken = 8 * static_cast<std::uint64_t>(config.hiddenSize) +
                                   static_cast<std::uint64_t>(config.intermediateSize) +
                                   static_cast<std::uint64_t>(config.numHeads) * std::max<std::size_t>(maxLength, 1);
    return bytes * perToken;
}

engine::BatchLimits embeddingBatchLimits(const std::string& precision) {
    if (precision == "fp32") return {16384, 128, 2048};
    return {32768, 256, 2048};
}

engine::TaskKind embeddingTaskKind() {
    using engine::OptionType;
    engine::TaskKind kind;
    kind.id = "text";
    kind.sharding.unit = "texts";
    kind.sharding.isPart = [](const std::string& dir) { return isEmbeddingPart(dir); };
    kind.sharding.merge = [](const std::vector<std::string>& parts, const std::string& outDir) {
        return mergeEmbeddingParts(parts, outDir).files;
    };
    kind.name = "Text embeddings";
    kind.order = 30;
    kind.fileDescription = "txt (one text per line), csv/tsv (a column), jsonl (a field)";
    kind.extensions = {".txt", ".csv", ".tsv", ".jsonl"};
    kind.mimeTypes = {"text/plain", "text/csv", "text/tab-separated-values", "application/x-ndjson"};
    kind.workUnit = {"texts", false};
    kind.choosesModel = true;
    kind.options = {
        {"column", OptionType::Text, "Column", "the CSV/TSV column that holds the texts"},
        {"field", OptionType::Text, "JSONL field", "the JSONL field that holds the texts"},
        {"outputs",
         OptionType::List,
         "Outputs",
         "dense,sparse,colbert (sparse and colbert need a BGE-M3 model)",
         "dense",
         {"dense", "sparse", "colbert"}},
        {"max-length", OptionType::Integer, "Maximum tokens", "truncate texts to N tokens", "", {}, 3, 1000000},
        {"dtype",
         OptionType::Choice,
         "Stored precision",
         "precision of the stored vectors: float32 or float16",
         "float32",
         {"float32", "float16"},
         0,
         0,
         "-"},
    };
    kind.recognise = [](const engine::FileProbe& probe) {
        if (probe.isDirectory) return 0;
        const std::string ext = probe.extension;
        if (ext == ".txt" || ext == ".csv" || ext == ".tsv" || ext == ".jsonl") return 40;
        return 0;
    };
    kind.create = engine::createTask<EmbeddingTask>;
    return kind;
}

std::string textEncoderCacheKey(const std::string& modelDir, const std::string& precision, const std::string& heads) {
    return engine::ModelCache::folderKey("text-encoder", modelDir, precision + "|" + heads);
}

Encoding encodeForEmbedding(const Tokenizer& tokenizer, const std::string& text, bool withHeads,
                            std::size_t maxLength) {
    EncodeOptions options;
    options.maxLength = maxLength;
    // sentence-transformers strips every text before tokenizing; do the same so results match it. With a BGE-M3
    // head requested the texts go in as FlagEmbedding's M3Embedder.encode takes them: unstripped.
    return tokenizer.encode(withHeads ? text : stripPython(text), options);
}

std::vector<float> embedThroughEngine(engine::Engine& engine, const std::string& modelDir, const std::string& device,
                                      const std::string& precision, const std::vector<std::string>& texts) {
    std::vector<float> out;
    engine
        .runOnDevice(device,
                     [&]() {
                         OutputSelection dense;
                         auto encoder = engine.models().acquire<TextEncoder>(
                             device, textEncoderCacheKey(modelDir, precision, "d"),
                             [&]() -> std::shared_ptr<TextEncoder> {
                                 return TextEncoder::load(modelDir, device, precision, dense);
                             },
                             engine::ModelCache::estimateFolderBytes(modelDir, precision));
                         out = encoder->embedTexts(texts);
                     })
        .get();
    return out;
}

}  // namespace benchtop::text
