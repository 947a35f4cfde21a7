#include "ui/views/text_view.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

#include "core/common/error.h"
#include "ui/views/export_file.h"
#include "core/engine/engine.h"
#include "core/text/embedding_task.h"
#include "core/text/text_encoder.h"
#include "ui/theme.h"

namespace benchtop::ui {

/// What the worker thread hands back to the GUI thread.
struct TextResultView::Outcome {
    enum class Kind { Folder, Search } kind = Kind::Folder;
    QString folder;
    std::shared_ptr<text::EmbeddingIndex> index;
    text::Projection projection;
    QString query;
    std::vector<text::SearchHit> hits;
    std::string modelKey;
    std::shared_ptr<const text::TextEncoder> encoder;
    QString error;
};

namespace {

/// How long a destroyed view waits for a search that borrows the engine (one query's forward pass).
constexpr int kEngineWorkWaitMs = 10000;

/// A value for a CSV cell: quoted when it holds a comma, quote or line break (RFC 4180).
QString csvCell(const QString& value) {
    if (!value.contains(QLatin1Char(',')) && !value.contains(QLatin1Char('"')) && !value.contains(QLatin1Char('\n')) &&
        !value.contains(QLatin1Char('\r')))
        return value;
    QString quoted = value;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString elided(const QString& text, int maxChars) {
    QString flat = text;
    flat.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return flat.size() > maxChars ? flat.left(maxChars - 1) + QChar(0x2026) : flat;
}

QLabel* headerLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

}  // namespace

TextResultView::TextResultView(QWidget* parent) : ResultView(parent) {
    // Header: what was embedded, with what, how fast.
    m_count = headerLabel(this);
    QFont countFont = m_count->font();
    countFont.setBold(true);
    countFont.setPointSizeF(countFont.pointSizeF() * 1.15);
    m_count->setFont(countFont);
    m_dimension = headerLabel(this);
    m_model = headerLabel(this);
    m_device = headerLabel(this);
    m_throughput = headerLabel(this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    auto* header = new QHBoxLayout();
    header->setSpacing(18);
    for (QLabel* label : {m_count, m_dimension, m_model, m_device, m_throughput}) header->addWidget(label);
    header->addStretch(1);

    // Search: query, k, results.
    m_query = new QLineEdit(this);
    m_query->setPlaceholderText(tr("Search the texts… (Enter)"));
    m_query->setClearButtonEnabled(true);
    m_query->setAccessibleName(tr("Search the texts"));
    m_k = new QSpinBox(this);
    m_k->setRange(1, 1000);
    m_k->setValue(10);
    m_k->setPrefix(tr("top "));
    m_k->setToolTip(tr("How many texts to list"));
    m_searchButton = new QPushButton(tr("Search"), this);
    m_export = new QPushButton(tr("Export"), this);
    auto* exportMenu = new QMenu(m_export);
    exportMenu->addAction(tr("Search hits as CSV…"), this, [this]() {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export search hits"),
                                                          QDir(m_folder).filePath(QStringLiteral("search_hits.csv")),
                                                          tr("CSV files (*.csv)"));
        if (!path.isEmpty()) exportHits(path);
    });
    exportMenu->addAction(tr("2-D map as CSV…"), this, [this]() {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export 2-D map"),
                                                          QDir(m_folder).filePath(QStringLiteral("embedding_map.csv")),
                                                          tr("CSV files (*.csv)"));
        if (!path.isEmpty()) exportMap(path);
    });
    m_export->setMenu(exportMenu);
    connect(m_query, &QLineEdit::returnPressed, this, [this]() { search(m_query->text()); });
    connect(m_searchButton, &QPushButton::clicked, this, [this]() { search(m_query->text()); });

    m_hits = new QTableWidget(0, 3, this);
    m_hits->setHorizontalHeaderLabels({tr("#"), tr("Cosine"), tr("Text")});
    m_hits->setAccessibleName(tr("Search hits"));
    m_hits->verticalHeader()->setVisible(false);
    m_hits->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_hits->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_hits->setShowGrid(false);
    m_hits->setWordWrap(false);
    m_hits->setAlternatingRowColors(true);
    m_hits->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_hits->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_hits->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_hits->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    connect(m_hits, &QTableWidget::currentCellChanged, this, [this](int row) { selectHit(row); });

    auto* searchRow = new QHBoxLayout();
    searchRow->addWidget(m_query, 1);
    searchRow->addWidget(m_k);
    searchRow->addWidget(m_searchButton);
    searchRow->addWidget(m_export);
    auto* searchPane = new QWidget(this);
    auto* searchLayout = new QVBoxLayout(searchPane);
    searchLayout->setContentsMargins(0, 0, 0, 0);
    searchLayout->addLayout(searchRow);
    searchLayout->addWidget(m_hits, 1);

    // Map: every text (or a sample) on the first two principal axes; hits on top.
    m_chart = new QChart();
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->setBackgroundRoundness(4);
    m_chart->legend()->setAlignment(Qt::AlignTop);
    m_points = new QScatterSeries();
    m_points->setName(tr("texts"));
    m_points->setMarkerSize(7.0);
    theme::setSeriesIndex(m_points, 0, 150);
    m_hitPoints = new QScatterSeries();
    m_hitPoints->setName(tr("search hits"));
    m_hitPoints->setMarkerSize(13.0);
    theme::setSeriesIndex(m_hitPoints, 1);
    m_chart->addSeries(m_points);
    m_selectedPoint = new QScatterSeries();
    m_selectedPoint->setName(tr("selected"));
    m_selectedPoint->setMarkerSize(17.0);
    theme::setSeriesIndex(m_selectedPoint, 3);
    m_chart->addSeries(m_hitPoints);
    m_chart->addSeries(m_selectedPoint);
    m_axisX = new QValueAxis();
    m_axisY = new QValueAxis();
    for (QValueAxis* axis : {m_axisX, m_axisY}) {
        axis->setLabelFormat(QStringLiteral("%.2f"));
        axis->setTickCount(5);
        QFont f = axis->titleFont();
        f.setBold(false);
        axis->setTitleFont(f);
    }
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);
    for (QScatterSeries* s : {m_points, m_hitPoints, m_selectedPoint}) {
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
        connect(s, &QScatterSeries::hovered, this, &TextResultView::showPointTip);
    }
    theme::styleChart(m_chart);
    m_chartView = new QChartView(m_chart, this);
    m_chartView->setAccessibleName(tr("2-D map of the texts"));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumSize(280, 220);
    m_mapCaption = new QLabel(this);
    m_mapCaption->setWordWrap(true);
    m_mapCaption->setStyleSheet(theme::mutedLabelStyle());
    auto* mapPane = new QWidget(this);
    auto* mapLayout = new QVBoxLayout(mapPane);
    mapLayout->setContentsMargins(0, 0, 0, 0);
    mapLayout->addWidget(m_chartView, 1);
    mapLayout->addWidget(m_mapCaption);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(searchPane);
    splitter->addWidget(mapPane);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 5);
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);

    updateHeader();
    setStatus(tr("Results appear here when the job finishes."));
}

TextResultView::~TextResultView() {
    // Opening a folder or searching with the view's own encoder owns everything it touches: m_work's destructor
    // cancels it and leaves it to the pool. A search through the engine borrows the engine, which the window
    // holding this view is destroyed just before; that is one query's forward pass, so wait for it, bounded.
    // (The application also drains all background work before its engine goes.)
    if (m_workBorrowsEngine) m_work.waitForDone(kEngineWorkWaitMs);
}

void TextResultView::showJob(const engine::JobSnapshot& job) {
    const bool otherJob = job.id != m_job.id;
    m_job = job;
    if (otherJob) {
        m_folder.clear();
        m_index.reset();
        m_projection = {};
        m_points->clear();
        m_hitPoints->clear();
        m_selectedPoint->clear();
        m_hitRows.clear();
        m_hits->setRowCount(0);
        m_mapCaption->clear();
    }
    updateHeader();
    switch (job.state) {
        case engine::JobState::Done:
            break;
        case engine::JobState::Failed:
            setStatus(tr("Failed: %1").arg(QString::fromStdString(job.error)), true);
            return;
        case engine::JobState::Cancelled:
            setStatus(tr("Cancelled; partial results were removed."));
            return;
        default:
            setStatus(tr("Embedding… search and map appear when the job finishes."));
            return;
    }

    QString folder = QString::fromStdString(job.resultDir);
    for (const std::string& file : job.resultFiles) {
        const QFileInfo info(QString::fromStdString(file));
        if (info.fileName() == QLatin1String("embedding_info.json")) folder = info.absolutePath();
    }
    if (folder.isEmpty() || folder == m_folder) return;
    m_folder = folder;
    m_pendingFolder = folder;
    setStatus(tr("Opening %1…").arg(QDir::toNativeSeparators(folder)));
    startNext();
}

void TextResultView::search(const QString& query) {
    m_query->setText(query);
    if (query.trimmed().isEmpty()) return;
    m_pendingQuery = query;
    m_hasPendingQuery = true;
    if (m_index) setStatus(tr("Searching for \u201c%1\u201d…").arg(elided(query, 60)));
    startNext();
}

void TextResultView::startNext() {
    if (m_busy) return;
    if (!m_pendingFolder.isEmpty()) {
        const std::string folder = m_pendingFolder.toStdString();
        m_pendingFolder.clear();
        runInBackground(
            [folder](Outcome& o, const JobControl& control) {
                o.kind = Outcome::Kind::Folder;
                o.folder = QString::fromStdString(folder);
                o.index = text::EmbeddingIndex::open(folder);
                if (control.isCancelled()) return;
                o.projection = o.index->project2d(kMaxMapPoints);
            },
            /*borrowsEngine=*/false);
        return;
    }
    if (m_hasPendingQuery && m_index) {
        m_hasPendingQuery = false;
        const std::string query = m_pendingQuery.toStdString();
        const std::size_t k = static_cast<std::size_t>(m_k->value());
        auto index = m_index;
        std::shared_ptr<const text::TextEncoder> cached;
        for (const auto& [model, encoder] : m_encoders)
            if (model == index->info().model) cached = encoder;
        m_searchButton->setEnabled(false);
        if (engine::Engine* engine = this->engine(); engine && !index->info().model.empty()) {
            // Through the engine: on the job's device, with the encoder its job left in the model cache.
            runInBackground(
                [engine, index, query, k](Outcome& o, const JobControl&) {
                    o.kind = Outcome::Kind::Search;
                    o.index = index;
                    o.query = QString::fromStdString(query);
                    const text::EmbeddingInfo& info = index->info();
                    const std::string device = info.device.empty() ? std::string("cpu") : info.device;
                    const std::string precision = info.precision.empty() ? std::string("fp32") : info.precision;
                    const std::vector<float> vector =
                        text::embedThroughEngine(*engine, info.model, device, precision, {query});
                    if (vector.size() != index->dimension())
                        throw Error(info.model, "gives " + std::to_string(vector.size()) +
                                                    "-dim embeddings but the output has " +
                                                    std::to_string(index->dimension()) +
                                                    "; use the model the output was made with.");
                    o.hits = index->searchVector(vector, k);
                },
                /*borrowsEngine=*/true);
            return;
        }
        runInBackground(
            [index, cached, query, k](Outcome& o, const JobControl&) {
                o.kind = Outcome::Kind::Search;
                o.index = index;
                o.query = QString::fromStdString(query);
                if (cached) index->setEncoder(cached);
                o.modelKey = index->info().model;
                o.encoder = index->encoder();
                o.hits = index->search(query, k);
            },
            /*borrowsEngine=*/false);
    }
}

void TextResultView::runInBackground(std::function<void(Outcome&, const JobControl&)> work, bool borrowsEngine) {
    m_busy = true;
    m_workBorrowsEngine = borrowsEngine;
    m_work.start([this, work = std::move(work)](const JobControl& control) {
        // Runs on the pool: touches only what `work` captured; `this` is used by the post, on the GUI thread.
        auto outcome = std::make_shared<Outcome>();
        try {
            work(*outcome, control);
        } catch (const std::exception& e) {
            outcome->error = QString::fromUtf8(e.what());
        }
        if (control.isCancelled()) return;  // the view is going away
        control.post([this, outcome]() { finishWork(outcome); });
    });
}

void TextResultView::finishWork(const std::shared_ptr<Outcome>& outcome) {
    m_busy = false;
    m_workBorrowsEngine = false;
    m_searchButton->setEnabled(true);

    if (outcome->kind == Outcome::Kind::Folder) {
        // A job shown meanwhile replaced the folder: drop this result, startNext opens the new one.
        if (outcome->folder == m_folder) {
            if (outcome->error.isEmpty()) {
                applyFolder(outcome->index, std::move(outcome->projection));
                setStatus(m_hasPendingQuery ? tr("Searching…")
                                            : tr("Type a query and press Enter to search the texts."));
            } else {
                setStatus(tr("Cannot open the results: %1").arg(outcome->error), true);
            }
            Q_EMIT folderLoaded();
        }
    } else {
        if (outcome->encoder) {
            const bool known = std::any_of(m_encoders.begin(), m_encoders.end(),
                                           [&](const auto& entry) { return entry.first == outcome->modelKey; });
            if (!known) m_encoders.emplace_back(outcome->modelKey, outcome->encoder);
        }
        // Hits for a folder no longer shown (another job was selected meanwhile) are dropped.
        if (outcome->index == m_index && outcome->error.isEmpty()) {
            applyHits(outcome->hits);
            const QString what =
                outcome->hits.size() == 1 ? tr("The text") : tr("The %1 texts").arg(outcome->hits.size());
            setStatus(tr("%1 closest to \u201c%2\u201d by cosine similarity.").arg(what, elided(outcome->query, 60)));
        } else if (outcome->index == m_index) {
            setStatus(tr("Search failed: %1").arg(outcome->error), true);
        }
        Q_EMIT searchFinished();
    }
    startNext();
}

void TextResultView::applyFolder(std::shared_ptr<text::EmbeddingIndex> index, text::Projection projection) {
    m_index = std::move(index);
    m_projection = std::move(projection);
    m_hitRows.clear();
    m_hits->setRowCount(0);
    m_hitPoints->clear();
    m_selectedPoint->clear();

    const auto& xy = m_projection.xy;
    QList<QPointF> points;
    points.reserve(static_cast<int>(m_projection.sample.size()));
    double minX = 0, maxX = 0, minY = 0, maxY = 0;
    for (std::size_t row : m_projection.sample) {
        const QPointF p(xy[2 * row], xy[2 * row + 1]);
        if (points.isEmpty()) minX = maxX = p.x(), minY = maxY = p.y();
        minX = std::min(minX, p.x()), maxX = std::max(maxX, p.x());
        minY = std::min(minY, p.y()), maxY = std::max(maxY, p.y());
        points.append(p);
    }
    m_points->replace(points);
    const double padX = std::max(1e-3, (maxX - minX) * 0.06), padY = std::max(1e-3, (maxY - minY) * 0.06);
    m_axisX->setRange(minX - padX, maxX + padX);
    m_axisY->setRange(minY - padY, maxY + padY);
    m_axisX->applyNiceNumbers();
    m_axisY->applyNiceNumbers();
    const QLocale locale;
    m_axisX->setTitleText(tr("PC1 · %1 %").arg(locale.toString(100.0 * m_projection.explained[0], 'f', 1)));
    m_axisY->setTitleText(tr("PC2 · %1 %").arg(locale.toString(100.0 * m_projection.explained[1], 'f', 1)));
    const auto total = static_cast<qlonglong>(m_index->size());
    if (static_cast<qlonglong>(m_projection.sample.size()) < total)
        m_mapCaption->setText(
            tr("PCA of a random sample of %1 of %2 embeddings (axes fitted on the sample; % = share of variance). "
               "Hover a point to read its text.")
                .arg(locale.toString(static_cast<qlonglong>(m_projection.sample.size())), locale.toString(total)));
    else
        m_mapCaption->setText(tr("PCA of all %1 embeddings (% = share of variance). Hover a point to read its text.")
                                  .arg(locale.toString(total)));
    updateHeader();
}

void TextResultView::applyHits(const std::vector<text::SearchHit>& hits) {
    m_hitRows = hits;
    m_hits->setRowCount(0);
    m_hits->setRowCount(static_cast<int>(hits.size()));
    QList<QPointF> highlighted;
    const QLocale locale;
    for (int i = 0; i < static_cast<int>(hits.size()); ++i) {
        const text::SearchHit& hit = hits[static_cast<std::size_t>(i)];
        auto* rank = new QTableWidgetItem(QString::number(i + 1));
        rank->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto* score = new QTableWidgetItem(locale.toString(hit.score, 'f', 4));
        score->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        const QString full = QString::fromStdString(hit.text);
        auto* textItem = new QTableWidgetItem(elided(full, 300));
        textItem->setToolTip(QStringLiteral("%1\n(%2)").arg(full, QString::fromStdString(hit.source)));
        m_hits->setItem(i, 0, rank);
        m_hits->setItem(i, 1, score);
        m_hits->setItem(i, 2, textItem);
        if (m_index && 2 * hit.row + 1 < m_projection.xy.size())
            highlighted.append(QPointF(m_projection.xy[2 * hit.row], m_projection.xy[2 * hit.row + 1]));
    }
    m_hitPoints->replace(highlighted);
    // The best match is the selected row and the marked point on the map.
    if (!hits.empty()) m_hits->selectRow(0);
    selectHit(hits.empty() ? -1 : 0);
}

void TextResultView::selectHit(int rank) {
    m_selectedPoint->clear();
    if (rank < 0 || rank >= hitCount()) return;
    const std::size_t row = m_hitRows[static_cast<std::size_t>(rank)].row;
    if (2 * row + 1 < m_projection.xy.size())
        m_selectedPoint->append(m_projection.xy[2 * row], m_projection.xy[2 * row + 1]);
}

void TextResultView::updateHeader() {
    const QLocale locale;
    const text::EmbeddingInfo* info = m_index ? &m_index->info() : nullptr;
    if (m_index) {
        m_count->setText(tr("%1 texts").arg(locale.toString(static_cast<qlonglong>(m_index->size()))));
        m_dimension->setText(tr("%1 dims").arg(m_index->dimension()));
    } else {
        m_count->setText(m_job.metrics.items > 0
                             ? tr("%1 texts").arg(locale.toString(static_cast<qlonglong>(m_job.metrics.items)))
                             : tr("No texts yet"));
        m_dimension->clear();
    }

    QString model = info ? QString::fromStdString(info->model) : QString::fromStdString(m_job.spec.model);
    const QString modelName = QFileInfo(model).fileName().isEmpty() ? model : QFileInfo(model).fileName();
    m_model->setText(modelName.isEmpty() ? QString() : tr("model %1").arg(modelName));
    m_model->setToolTip(
        info ? tr("%1\npooling %2%3, max %4 tokens")
                   .arg(model, QString::fromStdString(info->pooling), info->normalize ? tr(" + normalize") : QString())
                   .arg(info->maxLength)
             : model);

    QString device = QString::fromStdString(m_job.deviceLabel);
    if (device.isEmpty() && info) device = QString::fromStdString(info->device + " · " + info->precision);
    m_device->setText(device);
    m_device->setToolTip(QString::fromStdString(m_job.deviceReason));

    double texts = info ? info->textsPerSecond : 0.0, tokens = info ? info->tokensPerSecond : 0.0;
    if (texts <= 0) texts = m_job.metrics.itemsPerSecond;
    QString throughput;
    if (texts > 0) throughput = tr("%1 texts/s").arg(locale.toString(texts, 'f', texts < 100 ? 1 : 0));
    if (tokens > 0) throughput += tr(" · %1 tokens/s").arg(locale.toString(tokens, 'f', 0));
    const double padding = info && info->paddingEfficiency > 0 ? info->paddingEfficiency : 0.0;
    if (padding > 0) throughput += tr(" · padding %1 %").arg(locale.toString(100.0 * padding, 'f', 0));
    m_throughput->setText(throughput);
    m_throughput->setToolTip(
        tr("Device time of the run: texts and tokens per second; padding = real tokens / "
           "padded tokens over the batches."));
}

void TextResultView::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(
        error ? QStringLiteral("QLabel { color: %1; }")
                    .arg(theme::css(theme::text(theme::Tone::Error, palette().color(QPalette::Window))))
              : theme::mutedLabelStyle());
}

void TextResultView::showPointTip(const QPointF& point, bool state) {
    if (!state || !m_index) {
        QToolTip::hideText();
        return;
    }
    const int row = rowNear(point);
    if (row < 0) return;
    const auto r = static_cast<std::size_t>(row);
    const QString tip = tr("%1\n\nrow %2 · %3")
                            .arg(elided(QString::fromStdString(m_index->text(r)), 240))
                            .arg(row + 1)
                            .arg(QString::fromStdString(m_index->source(r)));
    QToolTip::showText(QCursor::pos(), tip, m_chartView);
}

int TextResultView::rowNear(const QPointF& point) const {
    // The series report the hovered marker in value coordinates, which need not be bit-identical to the
    // stored point: take the nearest point drawn (the map sample and the hits).
    if (!m_index) return -1;
    const auto& xy = m_projection.xy;
    double best = std::numeric_limits<double>::infinity();
    int bestRow = -1;
    auto consider = [&](std::size_t row) {
        const double dx = xy[2 * row] - point.x(), dy = xy[2 * row + 1] - point.y();
        if (dx * dx + dy * dy < best) best = dx * dx + dy * dy, bestRow = static_cast<int>(row);
    };
    for (std::size_t row : m_projection.sample) consider(row);
    for (const auto& hit : m_hitRows) consider(hit.row);
    return bestRow;
}

bool TextResultView::exportHits(const QString& path) {
    QString csv = QStringLiteral("rank,score,row,source,text\n");
    for (std::size_t i = 0; i < m_hitRows.size(); ++i) {
        const auto& h = m_hitRows[i];
        csv += QStringLiteral("%1,%2,%3,%4,%5\n")
                   .arg(i + 1)
                   .arg(h.score, 0, 'f', 6)
                   .arg(h.row + 1)
                   .arg(csvCell(QString::fromStdString(h.source)), csvCell(QString::fromStdString(h.text)));
    }
    QString error;
    if (!writeCsvExport(path, csv.toUtf8(), &error)) {
        setStatus(tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), error), true);
        return false;
    }
    setStatus(tr("Exported %1 search hits to %2.").arg(m_hitRows.size()).arg(QDir::toNativeSeparators(path)));
    return true;
}

bool TextResultView::exportMap(const QString& path) {
    if (!m_index) {
        setStatus(tr("Nothing to export yet."), true);
        return false;
    }
    const auto& xy = m_projection.xy;
    QByteArray out = "row,x,y,source,text\n";
    for (std::size_t row = 0; row < m_index->size(); ++row)
        out += QStringLiteral("%1,%2,%3,%4,%5\n")
                   .arg(row + 1)
                   .arg(double(xy[2 * row]), 0, 'g', 8)
                   .arg(double(xy[2 * row + 1]), 0, 'g', 8)
                   .arg(csvCell(QString::fromStdString(m_index->source(row))),
                        csvCell(QString::fromStdString(m_index->text(row))))
                   .toUtf8();
    QString error;
    if (!writeCsvExport(path, out, &error)) {
        setStatus(tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), error), true);
        return false;
    }
    setStatus(tr("Exported the map of %1 texts to %2.").arg(m_index->size()).arg(QDir::toNativeSeparators(path)));
    return true;
}

int TextResultView::textCount() const {
    return m_index ? static_cast<int>(m_index->size()) : 0;
}
QString TextResultView::countText() const {
    return m_count->text();
}
QString TextResultView::statusText() const {
    return m_status->text();
}
int TextResultView::mapPointCount() const {
    return m_points->count();
}
int TextResultView::hitCount() const {
    return static_cast<int>(m_hitRows.size());
}
QString TextResultView::hitText(int rank) const {
    return rank >= 0 && rank < hitCount() ? QString::fromStdString(m_hitRows[static_cast<std::size_t>(rank)].text)
                                          : QString();
}
double TextResultView::hitScore(int rank) const {
    return rank >= 0 && rank < hitCount() ? m_hitRows[static_cast<std::size_t>(rank)].score : 0.0;
}

}  // namespace benchtop::ui
