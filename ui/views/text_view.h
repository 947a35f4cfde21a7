#pragma once

#include <QPointF>
#include <QString>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/text/embedding_index.h"
#include "ui/background_job.h"
#include "ui/views/result_view.h"

class QChart;
class QChartView;
class QLabel;
class QLineEdit;
class QPushButton;
class QScatterSeries;
class QSpinBox;
class QTableWidget;
class QValueAxis;

namespace benchtop::text {
class TextEncoder;
}

namespace benchtop::ui {

/// The result view of text-embedding jobs: a header (count, dimension, model, device and precision,
/// throughput), a search box that embeds the query with the job's model and lists the top-k texts with
/// their cosine scores, a 2-D PCA map of the embeddings (text on hover, search hits highlighted) and
/// CSV export of the hits or the map. Opening the folder, the PCA and searches run as a BackgroundJob;
/// the query encoder is loaded once per model and cached by the view.
class TextResultView : public ResultView {
    Q_OBJECT
public:
    /// Most points the map draws; larger collections show a random sample of this many (the view says so).
    static constexpr int kMaxMapPoints = 20000;

    explicit TextResultView(QWidget* parent = nullptr);
    ~TextResultView() override;

    void showJob(const engine::JobSnapshot& job) override;

    /// Runs `query` as if typed into the search box and confirmed with Enter.
    void search(const QString& query);
    /// Writes the current hits (rank, score, row, source, text) as CSV; false (with the reason in
    /// statusText()) when it cannot. Written atomically.
    bool exportHits(const QString& path);
    /// Writes the map (row, x, y, source, text) of every text as CSV.
    bool exportMap(const QString& path);

    /// What the view shows (read by the tests).
    int textCount() const;  ///< texts of the opened folder, 0 while none
    QString countText() const;
    QString statusText() const;
    int mapPointCount() const;
    int hitCount() const;
    QString hitText(int rank) const;  ///< rank 0 = best
    double hitScore(int rank) const;
    bool busy() const { return m_busy; }
    QLineEdit* searchBox() const { return m_query; }
    QLineEdit* searchField() const override { return m_query; }
    QScatterSeries* mapSeries() const { return m_points; }
    /// The highlighted points: every search hit, and the hit selected in the list (the best one after a search).
    QScatterSeries* hitSeries() const { return m_hitPoints; }
    QScatterSeries* selectedSeries() const { return m_selectedPoint; }
    /// The row of the map point nearest to `point` (value coordinates), or -1 without a map.
    int rowNear(const QPointF& point) const;
    QChartView* mapView() const { return m_chartView; }

Q_SIGNALS:
    /// The folder of the shown job was opened (or failed to open: statusText() says why).
    void folderLoaded();
    /// A search finished and its hits are listed (or it failed: statusText() says why).
    void searchFinished();

private:
    struct Outcome;

    void startNext();
    /// Runs `work` as m_work; `borrowsEngine`: it uses the engine, which must outlive it (see the destructor).
    void runInBackground(std::function<void(Outcome&, const JobControl&)> work, bool borrowsEngine);
    void finishWork(const std::shared_ptr<Outcome>& outcome);
    void applyFolder(std::shared_ptr<text::EmbeddingIndex> index, text::Projection projection);
    void applyHits(const std::vector<text::SearchHit>& hits);
    /// Marks the map point of hit `rank` (the current row of the hit list).
    void selectHit(int rank);
    void updateHeader();
    void setStatus(const QString& text, bool error = false);
    void showPointTip(const QPointF& point, bool state);

    // Header
    QLabel* m_count = nullptr;
    QLabel* m_dimension = nullptr;
    QLabel* m_model = nullptr;
    QLabel* m_device = nullptr;
    QLabel* m_throughput = nullptr;
    QLabel* m_status = nullptr;
    // Search
    QLineEdit* m_query = nullptr;
    QSpinBox* m_k = nullptr;
    QPushButton* m_searchButton = nullptr;
    QPushButton* m_export = nullptr;
    QTableWidget* m_hits = nullptr;
    // Map
    QChart* m_chart = nullptr;
    QChartView* m_chartView = nullptr;
    QScatterSeries* m_points = nullptr;
    QScatterSeries* m_hitPoints = nullptr;
    QScatterSeries* m_selectedPoint = nullptr;
    QValueAxis* m_axisX = nullptr;
    QValueAxis* m_axisY = nullptr;
    QLabel* m_mapCaption = nullptr;

    engine::JobSnapshot m_job;
    QString m_folder;         // folder shown (or being opened)
    QString m_pendingFolder;  // to open when the worker is free
    QString m_pendingQuery;   // to run when the worker is free
    bool m_hasPendingQuery = false;
    bool m_busy = false;

    std::shared_ptr<text::EmbeddingIndex> m_index;
    text::Projection m_projection;
    std::vector<text::SearchHit> m_hitRows;
    // Encoders by model folder, shared by the folders this view opens.
    std::vector<std::pair<std::string, std::shared_ptr<const text::TextEncoder>>> m_encoders;

    BackgroundJob m_work;  // opening a folder or one search at a time
    bool m_workBorrowsEngine = false;
};

}  // namespace benchtop::ui
