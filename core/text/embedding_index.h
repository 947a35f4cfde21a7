#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace benchtop::text {

class TextEncoder;

/// What embedding_info.json records about a text-embedding run (fields missing in older files stay at
/// their defaults).
struct EmbeddingInfo {
    std::string model;     ///< absolute model folder
    std::string modelRef;  ///< what the user named (catalog id, path)
    std::string pooling;   ///< "cls", "mean", ...
    bool normalize = false;
    std::string device;     ///< "cpu", "cuda:0"
    std::string precision;  ///< "fp32", "bf16", ...
    std::string dtype;      ///< of embeddings.npy: "float32" / "float16"
    std::string outputs = "dense";
    std::size_t maxLength = 0;
    std::int64_t tokens = 0;
    double paddingEfficiency = 0;  ///< 0 when not recorded
    double textsPerSecond = 0;     ///< device throughput of the run; 0 when not recorded
    double tokensPerSecond = 0;
};

/// One search result: the row of the output folder, its cosine similarity to the query and its text.
struct SearchHit {
    std::size_t row = 0;
    double score = 0;
    std::string text;
    std::string source;  ///< "corpus.txt:12"
};

/// A 2-D PCA map of the embeddings.
struct Projection {
    std::vector<float> xy;            ///< [size(), 2]: every row on the first two principal axes
    std::vector<std::size_t> sample;  ///< the rows the axes were fitted on, ascending: all, or a random sample
    double explained[2] = {0, 0};     ///< fraction of the (sample's) total variance along each axis
};

/// The output folder of a text-embedding job opened for search and maps: embeddings.npy, texts.jsonl
/// and embedding_info.json. Torch-free interface. The query encoder is loaded on first use and cached;
/// every method may be called from any thread.
class EmbeddingIndex {
public:
    /// Reads the folder. Throws benchtop::Error naming the file: missing, not valid JSON / .npy, not a 2-D
    /// array, or texts.jsonl and embeddings.npy disagreeing on the number of texts.
    static std::shared_ptr<EmbeddingIndex> open(const std::string& dir);
    ~EmbeddingIndex();

    const std::string& folder() const { return m_dir; }
    const EmbeddingInfo& info() const { return m_info; }
    std::size_t size() const { return m_rows; }
    std::size_t dimension() const { return m_dim; }
    const std::string& text(std::size_t row) const { return m_texts.at(row); }
    const std::string& source(std::size_t row) const { return m_sources.at(row); }
    /// Row-major [size(), dimension()] as stored (float16 files converted).
    const std::vector<float>& embeddings() const { return m_values; }

    /// Uses `encoder` for queries instead of loading the recorded model (must give dimension() values).
    void setEncoder(std::shared_ptr<const TextEncoder> encoder);
    /// The query encoder: the one set, else the model recorded in embedding_info.json (or `model` when
    /// not empty), loaded once on `device` in fp32. Throws benchtop::Error when it cannot be loaded or its
    /// dimension differs from the stored embeddings.
    std::shared_ptr<const TextEncoder> encoder(const std::string& model = {}, const std::string& device = "cpu");

    /// Embeds `query` with encoder() and returns the `k` rows of highest cosine similarity, best first
    /// (ties by row).
    std::vector<SearchHit> search(const std::string& query, std::size_t k);
    /// The same for a query vector of dimension() values.
    std::vector<SearchHit> searchVector(const std::vector<float>& query, std::size_t k) const;

    /// PCA of the embeddings onto two axes (libtorch, eigen-decomposition of the covariance in float64).
    /// Each axis is signed so that its largest loading is positive, so the map is the same on every run.
    /// With more than `maxSample` rows (0 = no limit) the axes are fitted on a random sample of that many
    /// (seeded by `seed`, listed in Projection::sample, e.g. the points a map draws); every row is projected.
    Projection project2d(std::size_t maxSample = 0, std::uint64_t seed = 1) const;

private:
    EmbeddingIndex() = default;

    std::string m_dir;
    EmbeddingInfo m_info;
    std::size_t m_rows = 0, m_dim = 0;
    std::vector<float> m_values;
    std::vector<double> m_norms;
    std::vector<std::string> m_texts, m_sources;
    std::mutex m_encoderMutex;
    std::shared_ptr<const TextEncoder> m_encoder;
};

}  // namespace benchtop::text
