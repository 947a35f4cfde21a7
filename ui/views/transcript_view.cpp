#include "ui/views/transcript_view.h"

#include <filesystem>

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QCursor>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTextDocument>
#include <QToolButton>
#include <QToolTip>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>

#include "core/audio/transcript_writer.h"
#include "ui/charts_dock.h"
#include "ui/theme.h"

namespace benchtop::ui {

namespace {

constexpr int kHtmlRole = Qt::UserRole + 1;     // rich text of the segment (with search highlights)
constexpr int kSegmentRole = Qt::UserRole + 2;  // index of the segment in the transcript

const QColor kHighlight(0xff, 0xe0, 0x66);

/// Draws the text column as rich text, wrapped to the column width.
class RichTextDelegate : public QStyledItemDelegate {
public:
    explicit RichTextDelegate(QTreeWidget* view) : QStyledItemDelegate(view), m_view(view) {}

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString html = index.data(kHtmlRole).toString();
        opt.text.clear();
        QStyle* style = opt.widget ? opt.widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);  // background and selection

        QTextDocument doc;
        prepare(doc, html, opt.rect.width(), opt.font);
        QAbstractTextDocumentLayout::PaintContext context;
        const bool selected = opt.state & QStyle::State_Selected;
        context.palette.setColor(
            QPalette::Text,
            opt.palette.color(opt.palette.currentColorGroup(), selected ? QPalette::HighlightedText : QPalette::Text));
        painter->save();
        painter->translate(opt.rect.topLeft());
        painter->setClipRect(QRect(QPoint(0, 0), opt.rect.size()));
        doc.documentLayout()->draw(painter, context);
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        QTextDocument doc;
        const int width = std::max(80, m_view->header()->sectionSize(index.column()));
        prepare(doc, index.data(kHtmlRole).toString(), width, option.font);
        return QSize(width, int(std::ceil(doc.size().height())));
    }

    /// Rows take new heights when the text column is resized.
    void relayout() { Q_EMIT sizeHintChanged(m_view->model()->index(0, 1)); }

private:
    static void prepare(QTextDocument& doc, const QString& html, int width, const QFont& font) {
        doc.setDefaultFont(font);
        doc.setDocumentMargin(4);
        doc.setHtml(html);
        doc.setTextWidth(width);
    }
    QTreeWidget* m_view;
};

/// One styled run of a segment's text (a word, or the whole text when there are no word timings).
struct Run {
    QString text;
    QString style;  // CSS of the span, empty for plain text
};

QString wordStyle(double probability) {
    // Greyer than the text, still readable on the palette's base colour (light or dark theme).
    const QString muted = theme::css(theme::text(theme::Tone::Muted));
    if (probability < TranscriptView::kDoubtfulWord)
        return QStringLiteral("color:%1; text-decoration:underline;").arg(muted);
    if (probability < TranscriptView::kUncertainWord) return QStringLiteral("color:%1; font-style:italic;").arg(muted);
    return QString();
}

/// "11.0 s", "2:05", "1:02:05".
QString formatDuration(double seconds) {
    if (seconds < 60) return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
    const qint64 whole = qint64(std::llround(seconds));
    const QString minutesSeconds = QStringLiteral("%1:%2")
                                       .arg(whole / 60 % 60, whole >= 3600 ? 2 : 1, 10, QLatin1Char('0'))
                                       .arg(whole % 60, 2, 10, QLatin1Char('0'));
    return whole >= 3600 ? QStringLiteral("%1:%2").arg(whole / 3600).arg(minutesSeconds) : minutesSeconds;
}

}  // namespace

TranscriptView::TranscriptView(QWidget* parent) : ResultView(parent) {
    m_header = new QLabel(this);
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::RichText);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setStyleSheet(theme::mutedLabelStyle());

    m_files = new QComboBox(this);
    m_files->setToolTip(tr("The job transcribed several files; choose which transcript to show"));
    m_files->setVisible(false);
    connect(m_files, &QComboBox::currentIndexChanged, this, [this](int index) { showTranscript(index); });

    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search the transcript…"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search the transcript"));
    connect(m_search, &QLineEdit::textChanged, this, [this]() { applySearch(); });
    m_matches = new QLabel(this);

    m_copy = new QPushButton(tr("Copy"), this);
    m_copy->setToolTip(tr("Copy the selected segments (or all) with their times"));
    connect(m_copy, &QPushButton::clicked, this, &TranscriptView::copySegments);

    m_export = new QToolButton(this);
    m_export->setText(tr("Export"));
    m_export->setToolTip(tr("Save the transcript as text, subtitles or JSON"));
    m_export->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(m_export);
    const QList<QPair<QString, QString>> formats = {
        {tr("Text (.txt)"), QStringLiteral("txt")},
        {tr("SubRip subtitles (.srt)"), QStringLiteral("srt")},
        {tr("WebVTT subtitles (.vtt)"), QStringLiteral("vtt")},
        {tr("JSON with segments and words (.json)"), QStringLiteral("json")}};
    for (const auto& [label, format] : formats)
        exportMenu->addAction(label, this, [this, format = format]() { exportAs(format); });
    m_export->setMenu(exportMenu);

    m_segments = new QTreeWidget(this);
    m_segments->setColumnCount(2);
    m_segments->setHeaderLabels({tr("Time"), tr("Text")});
    m_segments->setAccessibleName(tr("Transcript segments"));
    m_segments->setRootIsDecorated(false);
    m_segments->setUniformRowHeights(false);
    m_segments->setWordWrap(true);
    m_segments->setAlternatingRowColors(true);
    m_segments->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_segments->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_segments->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_segments->setMinimumHeight(170);  // a few segments stay readable however the results splitter is set
    m_segments->header()->setStretchLastSection(true);
    m_segments->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    auto* delegate = new RichTextDelegate(m_segments);
    m_segments->setItemDelegateForColumn(1, delegate);
    connect(m_segments->header(), &QHeaderView::sectionResized, this, [this, delegate](int column) {
        if (column == 1 && m_segments->topLevelItemCount() > 0) delegate->relayout();
    });
    connect(m_segments, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) { showWordTimings(item); });
    connect(m_segments, &QTreeWidget::itemSelectionChanged, this,
            [this]() { m_copy->setText(m_segments->selectedItems().isEmpty() ? tr("Copy") : tr("Copy Selected")); });

    auto* tools = new QHBoxLayout();
    tools->addWidget(m_files);
    tools->addWidget(m_search, 1);
    tools->addWidget(m_matches);
    tools->addWidget(m_copy);
    tools->addWidget(m_export);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(m_status);
    layout->addLayout(tools);
    layout->addWidget(m_segments, 1);
    showTranscript(-1);
}

QString TranscriptView::timeRange(double start, double end) {
    return QStringLiteral("[%1 → %2]")
        .arg(QString::fromStdString(audio::formatTimestamp(start)),
             QString::fromStdString(audio::formatTimestamp(end)));
}

void TranscriptView::showJob(const engine::JobSnapshot& job) {
    const bool sameJob = m_haveJob && m_job.id == job.id;
    m_job = job;
    m_haveJob = true;
    switch (job.state) {
        case engine::JobState::Done:
            m_status->clear();
            break;
        case engine::JobState::Failed:
            m_status->setText(tr("Failed: %1").arg(QString::fromStdString(job.error)));
            break;
        case engine::JobState::Cancelled:
            m_status->setText(tr("Cancelled."));
            break;
        default: {
            const double fraction = job.progress.fraction();
            m_status->setText(fraction >= 0 ? tr("Transcribing… %1 % of %2 s of audio")
                                                  .arg(int(fraction * 100.0))
                                                  .arg(job.progress.total, 0, 'f', 1)
                                            : tr("Transcribing…"));
            break;
        }
    }
    m_status->setVisible(!m_status->text().isEmpty());
    if (!sameJob || job.resultFiles != m_loadedFiles)
        loadTranscripts(job);
    else
        updateHeader();
}

void TranscriptView::loadTranscripts(const engine::JobSnapshot& job) {
    m_loadedFiles = job.resultFiles;
    m_transcripts.clear();
    m_names.clear();
    m_paths.clear();
    QStringList problems;
    for (const std::string& file : job.resultFiles) {
        const QString path = QString::fromStdString(file);
        if (!path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) continue;
        try {
            m_transcripts.push_back(audio::readTranscriptJson(file));
            m_names << QFileInfo(path).completeBaseName();
            m_paths << path;
        } catch (const std::exception& e) {
            problems << QString::fromUtf8(e.what());
        }
    }
    if (job.state == engine::JobState::Done && m_transcripts.empty()) {
        problems.prepend(job.resultFiles.empty() ? tr("The job wrote no files.")
                                                 : tr("The job wrote no transcript JSON (add json to the speech "
                                                      "formats to see the segments here)."));
    }
    if (!problems.isEmpty()) {
        m_status->setText(problems.join(QLatin1Char('\n')));
        m_status->setVisible(true);
    }
    const QSignalBlocker block(m_files);
    m_files->clear();
    m_files->addItems(m_names);
    m_files->setVisible(m_names.size() > 1);
    showTranscript(m_transcripts.empty() ? -1 : 0);
}

void TranscriptView::selectTranscript(int index) {
    if (index >= 0 && index < int(m_transcripts.size()))
        m_files->setCurrentIndex(index);  // showTranscript() follows through the signal
}

void TranscriptView::showTranscript(int index) {
    m_current = index >= 0 && index < int(m_transcripts.size()) ? index : -1;
    m_segments->clear();
    const audio::Transcript* t = transcript();
    m_search->setEnabled(t != nullptr);
    m_copy->setEnabled(t != nullptr);
    m_export->setEnabled(t != nullptr);
    if (t) {
        QList<QTreeWidgetItem*> items;
        for (std::size_t i = 0; i < t->segments.size(); ++i) {
            const audio::TranscriptSegment& s = t->segments[i];
            auto* item = new QTreeWidgetItem();
            item->setText(0, timeRange(s.start, s.end));
            item->setFont(0, QFontDatabase::systemFont(QFontDatabase::FixedFont));
            item->setTextAlignment(0, Qt::AlignLeft | Qt::AlignTop);
            item->setText(1, QString::fromStdString(audio::stripPythonWhitespace(s.text)));
            item->setData(1, kSegmentRole, int(i));
            if (!s.words.empty()) {
                QString tip = tr("<b>Word timings</b><table cellspacing='4'>");
                for (const audio::TranscriptWord& w : s.words)
                    tip += QStringLiteral("<tr><td>%1</td><td>%2 → %3</td><td align='right'>p = %4</td></tr>")
                               .arg(QString::fromStdString(w.word).trimmed().toHtmlEscaped(),
                                    QString::fromStdString(audio::formatTimestamp(w.start)),
                                    QString::fromStdString(audio::formatTimestamp(w.end)))
                               .arg(w.probability, 0, 'f', 2);
                tip += QStringLiteral("</table>");
                item->setToolTip(1, tip);
            } else {
                item->setToolTip(1, tr("avg log-probability %1, no-speech probability %2")
                                        .arg(s.avgLogprob, 0, 'f', 3)
                                        .arg(s.noSpeechProb, 0, 'g', 3));
            }
            items << item;
        }
        m_segments->addTopLevelItems(items);
    }
    updateHeader();
    applySearch();
}

const audio::Transcript* TranscriptView::transcript() const {
    return m_current >= 0 ? &m_transcripts[std::size_t(m_current)] : nullptr;
}

int TranscriptView::segmentCount() const {
    return m_segments->topLevelItemCount();
}

int TranscriptView::visibleSegmentCount() const {
    return int(visibleSegments().size());
}

std::vector<int> TranscriptView::visibleSegments() const {
    std::vector<int> out;
    for (int i = 0; i < m_segments->topLevelItemCount(); ++i)
        if (!m_segments->topLevelItem(i)->isHidden())
            out.push_back(m_segments->topLevelItem(i)->data(1, kSegmentRole).toInt());
    return out;
}

QString TranscriptView::headerText() const {
    QTextDocument doc;
    doc.setHtml(m_header->text());
    return doc.toPlainText();
}

void TranscriptView::setSearchText(const QString& text) {
    m_search->setText(text);
}

void TranscriptView::updateHeader() {
    const audio::Transcript* t = transcript();
    if (!m_haveJob) {
        m_header->clear();
        return;
    }
    QString file =
        m_current >= 0 && m_current < m_paths.size() ? QFileInfo(m_paths[m_current]).completeBaseName() : QString();
    // The input the transcript came from (same stem), else the first input.
    QString input = m_job.spec.inputs.empty() ? QString() : QString::fromStdString(m_job.spec.inputs.front());
    for (const std::string& in : m_job.spec.inputs)
        if (QFileInfo(QString::fromStdString(in)).completeBaseName() == file) input = QString::fromStdString(in);
    QStringList parts;
    if (t) {
        if (t->duration > 0) parts << tr("%1 of audio").arg(formatDuration(t->duration));
        QString language = t->language.empty() ? tr("unknown") : QString::fromStdString(t->language);
        language = t->languageProbability >= 0
                       ? tr("language %1 (%2 %)").arg(language).arg(t->languageProbability * 100.0, 0, 'f', 1)
                       : tr("language %1 (given)").arg(language);
        parts << language;
        parts << tr("%n segment(s)", nullptr, int(t->segments.size()));
    }
    if (!m_job.spec.model.empty()) {
        const QString model = QString::fromStdString(m_job.spec.model);
        const QFileInfo info(model);
        parts << tr("model %1").arg(info.exists() ? info.fileName() : model);
    }
    if (!m_job.deviceLabel.empty()) parts << QString::fromStdString(m_job.deviceLabel);
    // Job-wide real-time factor: wall seconds of the run per second of audio transcribed.
    if (m_job.progress.done > 0 && m_job.metrics.wallSeconds > 0)
        parts << ChartsDock::realTimeFactorText(m_job.metrics.wallSeconds / m_job.progress.done);
    const QString name = QFileInfo(input).fileName();
    m_header->setText(QStringLiteral("<b>%1</b>&nbsp;&nbsp;<span style='color:%2'>%3</span>")
                          .arg(name.toHtmlEscaped(), palette().color(QPalette::PlaceholderText).name(),
                               parts.join(QStringLiteral(" · ")).toHtmlEscaped()));
    m_header->setToolTip(input);
}

QString TranscriptView::segmentHtml(const audio::TranscriptSegment& segment, const QString& highlight) const {
    std::vector<Run> runs;
    if (segment.words.empty()) {
        runs.push_back({QString::fromStdString(audio::stripPythonWhitespace(segment.text)), QString()});
    } else {
        for (const audio::TranscriptWord& w : segment.words) {
            // The space before a word stays unstyled, so an underline starts at the word.
            const QString word = QString::fromStdString(w.word);
            qsizetype letters = 0;
            while (letters < word.size() && word[letters].isSpace()) ++letters;
            if (letters > 0) runs.push_back({word.left(letters), QString()});
            runs.push_back({word.mid(letters), wordStyle(w.probability)});
        }
        // Segment text starts with a space in Whisper's output; the view does not need it.
        while (!runs.front().text.isEmpty() && runs.front().text.front().isSpace()) runs.front().text.remove(0, 1);
    }
    QString plain;
    for (const Run& r : runs) plain += r.text;
    std::vector<bool> marked(std::size_t(plain.size()), false);
    if (!highlight.isEmpty())
        for (int at = plain.indexOf(highlight, 0, Qt::CaseInsensitive); at >= 0;
             at = plain.indexOf(highlight, at + int(highlight.size()), Qt::CaseInsensitive))
            std::fill(marked.begin() + at, marked.begin() + at + highlight.size(), true);

    QString html;
    int position = 0;
    for (const Run& r : runs) {
        QString body;
        // Split the run where the highlight starts or ends.
        for (int i = 0; i < r.text.size();) {
            const bool on = marked[std::size_t(position + i)];
            int j = i;
            while (j < r.text.size() && marked[std::size_t(position + j)] == on) ++j;
            const QString piece = r.text.mid(i, j - i).toHtmlEscaped();
            body += on ? QStringLiteral("<span style='background-color:%1; color:#000;'>%2</span>")
                             .arg(kHighlight.name(), piece)
                       : piece;
            i = j;
        }
        html += r.style.isEmpty() ? body : QStringLiteral("<span style='%1'>%2</span>").arg(r.style, body);
        position += int(r.text.size());
    }
    return html;
}

void TranscriptView::applySearch() {
    const audio::Transcript* t = transcript();
    const QString needle = m_search->text().trimmed();
    int shown = 0;
    for (int i = 0; i < m_segments->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_segments->topLevelItem(i);
        const audio::TranscriptSegment& s = t->segments[std::size_t(item->data(1, kSegmentRole).toInt())];
        const bool match = needle.isEmpty() || item->text(1).contains(needle, Qt::CaseInsensitive);
        item->setHidden(!match);
        item->setData(1, kHtmlRole, segmentHtml(s, needle));
        shown += match ? 1 : 0;
    }
    if (!t)
        m_matches->clear();
    else if (needle.isEmpty())
        m_matches->setText(tr("%n segment(s)", nullptr, m_segments->topLevelItemCount()));
    else
        m_matches->setText(tr("%1 of %2 match").arg(shown).arg(m_segments->topLevelItemCount()));
}

void TranscriptView::showWordTimings(QTreeWidgetItem* item) {
    const audio::Transcript* t = transcript();
    if (!item || !t) return;
    const audio::TranscriptSegment& s = t->segments[std::size_t(item->data(1, kSegmentRole).toInt())];
    if (!s.words.empty()) QToolTip::showText(QCursor::pos(), item->toolTip(1), m_segments);
}

QString TranscriptView::copyText() const {
    const audio::Transcript* t = transcript();
    if (!t) return QString();
    QList<QTreeWidgetItem*> items = m_segments->selectedItems();
    items.erase(std::remove_if(items.begin(), items.end(), [](QTreeWidgetItem* i) { return i->isHidden(); }),
                items.end());
    if (items.isEmpty())
        for (int i = 0; i < m_segments->topLevelItemCount(); ++i)
            if (!m_segments->topLevelItem(i)->isHidden()) items << m_segments->topLevelItem(i);
    std::sort(items.begin(), items.end(), [](QTreeWidgetItem* a, QTreeWidgetItem* b) {
        return a->data(1, kSegmentRole).toInt() < b->data(1, kSegmentRole).toInt();
    });
    QString out;
    for (QTreeWidgetItem* item : std::as_const(items)) {
        const audio::TranscriptSegment& s = t->segments[std::size_t(item->data(1, kSegmentRole).toInt())];
        // The line openai's CLI prints with --verbose.
        out += QStringLiteral("[%1 --> %2] %3\n")
                   .arg(QString::fromStdString(audio::formatTimestamp(s.start)),
                        QString::fromStdString(audio::formatTimestamp(s.end)), item->text(1));
    }
    return out;
}

void TranscriptView::copySegments() {
    const QString text = copyText();
    if (!text.isEmpty()) QApplication::clipboard()->setText(text);
}

bool TranscriptView::exportTranscript(const QString& path, const QString& format, QString* error) const {
    const audio::Transcript* t = transcript();
    if (!t) {
        if (error) *error = tr("There is no transcript to export.");
        return false;
    }
    // Written next to the target and renamed when complete, so a failed export leaves no half file.
    const QString part = path + QStringLiteral(".part");
    try {
        audio::writeTranscript(*t, format.toStdString(), part.toStdString());
    } catch (const std::exception& e) {
        QFile::remove(part);
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
    // One rename that replaces an existing file: the old export stays whole until the new one is complete.
    std::error_code ec;
    std::filesystem::rename(std::filesystem::u8path(part.toStdString()), std::filesystem::u8path(path.toStdString()),
                            ec);
    if (ec) {
        QFile::remove(part);
        if (error)
            *error = tr("%1: cannot move the exported file into place (%2).")
                         .arg(path, QString::fromStdString(ec.message()));
        return false;
    }
    return true;
}

void TranscriptView::exportAs(const QString& format) {
    if (!transcript()) return;
    const QString source = m_current < m_paths.size() ? m_paths[m_current] : QString();
    const QFileInfo info(source);
    const QString suggested = QDir(info.absolutePath()).filePath(info.completeBaseName() + QLatin1Char('.') + format);
    const QString filter = tr("%1 files (*.%2)").arg(format.toUpper(), format);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Transcript"), suggested, filter);
    if (path.isEmpty()) return;
    QString error;
    if (!exportTranscript(path, format, &error)) {
        m_status->setText(tr("Export failed: %1").arg(error));
        m_status->setVisible(true);
    } else {
        m_status->setText(tr("Exported %1").arg(QDir::toNativeSeparators(path)));
        m_status->setVisible(true);
    }
}

}  // namespace benchtop::ui
