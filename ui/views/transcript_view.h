#pragma once

#include <QString>
#include <QStringList>

#include <vector>

#include "core/audio/whisper_transcriber.h"
#include "ui/views/result_view.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace benchtop::ui {

/// The result view of speech jobs: the transcript JSON each job wrote, as a list of segments with their
/// times and text. Words are shown with emphasis by probability when the job computed word timestamps
/// (clicking such a segment shows the word timings); a search box filters the segments and highlights
/// matches; Copy puts the selected (or all) segments on the clipboard as "[start --> end] text"; Export
/// writes txt / srt / vtt / json through core's transcript writers. The header gives the file, duration,
/// language (with its probability when detected), model, device and precision, and the job's real-time factor.
class TranscriptView : public ResultView {
    Q_OBJECT
public:
    explicit TranscriptView(QWidget* parent = nullptr);
    void showJob(const engine::JobSnapshot& job) override;

    /// Word probability below which a word is greyed, and below which it is also underlined.
    static constexpr double kUncertainWord = 0.8;
    static constexpr double kDoubtfulWord = 0.5;

    /// "[00:01.500 → 00:04.000]" (openai's MM:SS.mmm timestamps, hours when needed).
    static QString timeRange(double start, double end);

    // Read-back for tests and scripting.
    /// The transcript shown (of the file selected in the file box when the job had several inputs).
    const audio::Transcript* transcript() const;
    /// Transcripts of the job: one per input file, with the names shown in the file box.
    QStringList transcriptNames() const { return m_names; }
    void selectTranscript(int index);
    int segmentCount() const;
    /// Segments not hidden by the search filter.
    int visibleSegmentCount() const;
    /// Indexes of the segments that the search shows.
    std::vector<int> visibleSegments() const;
    /// The header line as plain text.
    QString headerText() const;
    /// Sets the search text (as typing it into the search box does).
    void setSearchText(const QString& text);
    /// What Copy puts on the clipboard: the selected visible segments, or every visible one when none is selected.
    QString copyText() const;
    /// Writes the shown transcript as "txt", "srt", "vtt" or "json" to `path` (through a .part file, renamed
    /// when complete). Returns false and sets `error` when it cannot.
    bool exportTranscript(const QString& path, const QString& format, QString* error = nullptr) const;
    QTreeWidget* segmentList() const { return m_segments; }
    QLineEdit* searchBox() const { return m_search; }
    QLineEdit* searchField() const override { return m_search; }

public Q_SLOTS:
    /// Copies copyText() to the clipboard.
    void copySegments();
    /// Asks for a file name and exports in `format`.
    void exportAs(const QString& format);

private:
    void loadTranscripts(const engine::JobSnapshot& job);
    void showTranscript(int index);
    void updateHeader();
    void applySearch();
    void showWordTimings(QTreeWidgetItem* item);
    QString segmentHtml(const audio::TranscriptSegment& segment, const QString& highlight) const;

    QLabel* m_header = nullptr;
    QLabel* m_status = nullptr;
    QComboBox* m_files = nullptr;
    QLineEdit* m_search = nullptr;
    QLabel* m_matches = nullptr;
    QPushButton* m_copy = nullptr;
    QToolButton* m_export = nullptr;
    QTreeWidget* m_segments = nullptr;

    engine::JobSnapshot m_job;
    bool m_haveJob = false;
    std::vector<std::string> m_loadedFiles;  // result files the transcripts were read from
    std::vector<audio::Transcript> m_transcripts;
    QStringList m_names;
    QStringList m_paths;  // the JSON file of each transcript
    int m_current = -1;
};

}  // namespace benchtop::ui
