#include "core/text/embedding_task.h"

#include "core/common/error.h"
#include "core/hub/model_store.h"
#include "core/tensor/npy_writer.h"
#include "core/text/text_encoder.h"
#include "core/text/tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace benchtop::text {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string readWholeFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot open the file; check that it exists and is readable.");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

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
                if (i + 1 < content.size() && content[i + 1] == '"') { field += '"'; ++i; }
                else quoted = false;
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty()) { quoted = true; any = true; }
        else if (c == delim) { row.push_back(std::move(field)); field.clear(); any = true; }
        else if (c == '\r' && i + 1 < content.size() && content[i + 1] == '\n') {}
        else if (c == '\n') {
            row.push_back(std::move(field));
            field.clear();
            rows.push_back(std::move(row));
            row.clear();
            any = false;
        } else { field += c; any = true; }
    }
    if (any || !field.empty() || !row.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string extensionOf(const std::string& path) {
    std::string name = lower(fs::path(path).filename().string());
    for (const char* ext : {".txt", ".csv", ".tsv", ".jsonl"})
        if (name.size() >= std::strlen(ext) && name.compare(name.size() - std::strlen(ext), std::string::npos, ext) == 0)
            return ext;
    return {};
}

/// IEEE half from float, round to nearest even (for dtype=float16 output).
std::uint16_t floatToHalf(float value) {
    std::uint32_t x;
    std::memcpy(&x, &value, 4);
    std::uint32_t sign = (x >> 16) & 0x8000u;
    std::uint32_t absx = x & 0x7fffffffu;
    if (absx >= 0x7f800000u) return static_cast<std::uint16_t>(sign | (absx > 0x7f800000u ? 0x7e00u : 0x7c00u));
    if (absx >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);  // overflow -> inf
    if (absx < 0x38800000u) {                                                     // subnormal half
        float f;
        std::memcpy(&f, &absx, 4);
        std::uint32_t h = static_cast<std::uint32_t>(std::nearbyint(f * 16777216.0f));  // 2^24
        return static_cast<std::uint16_t>(sign | h);
    }
    std::uint32_t mant = absx & 0x7fffffu;
    std::uint32_t exp = (absx >> 23) - 112;
    std::uint32_t h = (exp << 10) | (mant >> 13);
    std::uint32_t rest = mant & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;
    return static_cast<std::uint16_t>(sign | h);
}

struct TextItem {
    SourceText text;
    Encoding encoding;
    std::vector<float> embedding;
};

class EmbeddingTask : public engine::Task {
public:
    explicit EmbeddingTask(engine::JobSpec spec) : m_spec(std::move(spec)) {}

    std::string workUnit() const override { return "texts"; }
    engine::BatchLimits batchLimits() const override { return {16384, 128, 2048}; }

    void read(engine::TaskContext& ctx, const std::function<void(engine::Item&&)>& emit) override {
        ensureTokenizer();
        std::vector<SourceText> all;
        for (const auto& input : m_spec.inputs) {
            auto texts = readTexts(input, m_spec.option("column"), m_spec.option("field"));
            for (auto& t : texts) all.push_back(std::move(t));
        }
        ctx.setExpectedTotal(static_cast<double>(all.size()));
        for (auto& t : all) {
            ctx.throwIfCancelled();
            engine::Item item;
            item.id = t.source;
            item.data = std::make_shared<TextItem>(TextItem{std::move(t), {}, {}});
            emit(std::move(item));
        }
    }

    void prepare(engine::TaskContext&, engine::Item& item) override {
        auto& t = item.as<TextItem>();
        EncodeOptions options;
        options.maxLength = m_maxLength;
        // sentence-transformers strips every text before tokenizing; do the same so results match it.
        t.encoding = m_tokenizer->encode(stripPython(t.text.text), options);
        item.length = static_cast<std::int64_t>(t.encoding.ids.size());
    }

    void load(engine::TaskContext& ctx) override {
        ensureTokenizer();
        const auto& choice = ctx.device();
        m_precision = device::toString(choice.precision);
        m_encoder = TextEncoder::load(m_modelDir, choice.device.id.empty() ? "cpu" : choice.device.id, m_precision);
    }

    void run(engine::TaskContext& ctx, const std::vector<engine::Item*>& batch) override {
        std::vector<Encoding> encodings;
        encodings.reserve(batch.size());
        for (auto* item : batch) encodings.push_back(item->as<TextItem>().encoding);
        EncodedBatch padded = m_encoder->tokenizer().pad(encodings);
        std::vector<float> pooled = m_encoder->embed(padded);
        const size_t dim = m_encoder->dimension();
        for (size_t r = 0; r < batch.size(); ++r)
            batch[r]->as<TextItem>().embedding.assign(pooled.begin() + r * dim, pooled.begin() + (r + 1) * dim);
        m_dimension = dim;
        m_pooling = m_encoder->pooling();
    }

    void finish(engine::TaskContext& ctx, std::vector<engine::Item>& items) override {
        const std::string dtypeOption = lower(m_spec.option("dtype", "float32"));
        const bool half = dtypeOption == "float16" || dtypeOption == "fp16" || dtypeOption == "f16";
        if (!half && dtypeOption != "float32" && dtypeOption != "fp32" && dtypeOption != "f32")
            throw Error("option dtype", "'" + dtypeOption + "' is not supported; use float32 or float16.");
        const std::int64_t dim = static_cast<std::int64_t>(m_dimension);
        {
            tensor::NpyWriter writer(ctx.outputPath("embeddings.npy"), half ? tensor::DType::F16 : tensor::DType::F32,
                                     {static_cast<std::int64_t>(items.size()), dim}, tensor::NpyWriter::Mode::Direct);
            std::vector<std::uint16_t> halfRow(m_dimension);
            for (auto& item : items) {
                const auto& e = item.as<TextItem>().embedding;
                if (e.size() != m_dimension) throw Error(item.id, "no embedding was computed for this text.");
                if (half) {
                    for (size_t i = 0; i < e.size(); ++i) halfRow[i] = floatToHalf(e[i]);
                    writer.appendRows(halfRow.data(), 1);
                } else {
                    writer.appendRows(e.data(), 1);
                }
            }
            writer.close();
        }
        size_t truncated = 0;
        std::int64_t tokens = 0;
        {
            std::ofstream out(ctx.outputPath("texts.jsonl"), std::ios::binary);
            for (size_t i = 0; i < items.size(); ++i) {
                const auto& t = items[i].as<TextItem>();
                truncated += t.encoding.truncated ? 1 : 0;
                tokens += static_cast<std::int64_t>(t.encoding.ids.size());
                nlohmann::json line = {{"id", i},
                                       {"source", t.text.source},
                                       {"text", t.text.text},
                                       {"tokens", t.encoding.ids.size()},
                                       {"truncated", t.encoding.truncated}};
                out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            }
            if (!out) throw Error(ctx.outputPath("texts.jsonl"), "could not write the file (disk full?).");
        }
        {
            std::string pooling = m_pooling.cls ? "cls" : m_pooling.max ? "max" : m_pooling.meanSqrtLen ? "mean_sqrt_len" : "mean";
            nlohmann::json info = {{"model", fs::absolute(m_modelDir).string()},
                                   {"model_ref", m_spec.model},
                                   {"pooling", pooling},
                                   {"normalize", m_pooling.normalize},
                                   {"dim", m_dimension},
                                   {"max_length", m_maxLength},
                                   {"precision", m_precision},
                                   {"dtype", half ? "float16" : "float32"},
                                   {"count", items.size()}};
            std::ofstream out(ctx.outputPath("embedding_info.json"), std::ios::binary);
            out << info.dump(2) << '\n';
        }
        if (truncated > 0)
            ctx.log(std::to_string(truncated) + " of " + std::to_string(items.size()) + " texts truncated to " +
                    std::to_string(m_maxLength) + " tokens");
        ctx.setSummary(std::to_string(items.size()) + " texts x " + std::to_string(m_dimension) + " dims (" +
                       std::to_string(tokens) + " tokens)");
    }

    void unload(engine::TaskContext&) override { m_encoder.reset(); }

private:
    void ensureTokenizer() {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_tokenizer) return;
        if (m_spec.model.empty())
            throw Error("text embeddings", "no model given; pass a model folder or catalog id (--model).");
        m_modelDir = resolveTextModel(m_spec.model);
        m_tokenizer = std::make_unique<Tokenizer>(Tokenizer::fromFolder(m_modelDir));
        m_maxLength = m_tokenizer->maxLength();
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
    std::mutex m_mutex;
    std::string m_modelDir;
    std::unique_ptr<Tokenizer> m_tokenizer;
    size_t m_maxLength = 0;
    std::unique_ptr<TextEncoder> m_encoder;
    std::string m_precision = "fp32";
    size_t m_dimension = 0;
    PoolingConfig m_pooling;
};

}  // namespace

std::vector<SourceText> readTexts(const std::string& path, const std::string& column, const std::string& field) {
    const std::string ext = extensionOf(path);
    const std::string name = fs::path(path).filename().string();
    const std::string content = readWholeFile(path);
    std::vector<SourceText> texts;
    if (ext == ".csv" || ext == ".tsv") {
        auto rows = parseDelimited(content, ext == ".tsv" ? '\t' : ',');
        if (rows.empty()) return texts;
        const auto& header = rows.front();
        size_t col = 0;
        bool found = false;
        if (!column.empty()) {
            for (size_t i = 0; i < header.size(); ++i)
                if (header[i] == column) { col = i; found = true; break; }
            if (!found)
                throw Error(path, "has no column named '" + column + "'; the columns are the first line's names.");
        } else {
            for (const char* want : {"text", "sentence", "content"}) {
                for (size_t i = 0; i < header.size() && !found; ++i)
                    if (lower(header[i]) == want) { col = i; found = true; }
                if (found) break;
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

engine::TaskKind embeddingTaskKind() {
    engine::TaskKind kind;
    kind.id = "text";
    kind.name = "Text embeddings";
    kind.extensions = {".txt", ".csv", ".tsv", ".jsonl"};
    kind.recognise = [](const engine::FileProbe& probe) {
        if (probe.isDirectory) return 0;
        const std::string ext = probe.extension;
        if (ext == ".txt" || ext == ".csv" || ext == ".tsv" || ext == ".jsonl") return 40;
        return 0;
    };
    kind.create = [](const engine::JobSpec& spec) -> std::unique_ptr<engine::Task> {
        return std::make_unique<EmbeddingTask>(spec);
    };
    return kind;
}

}  // namespace benchtop::text
