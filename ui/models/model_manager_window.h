#pragma once

#include <QDialog>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

#include "core/engine/task.h"
#include "core/hub/downloader.h"
#include "core/hub/model_store.h"
#include "ui/settings.h"

class QAction;
class QCheckBox;
class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;

namespace benchtop::ui {

class ModelFilterProxy;
class ModelTableModel;
class StoreTask;

/// The model manager: one table of the catalog, Benchtop's store, the user's Hugging Face cache and unfinished
/// downloads, with Download / Resume / Cancel / Remove / Import / Reveal / "Use for new jobs". Downloads and
/// imports run on worker threads and report through queued signals; closing the window cancels running
/// downloads (their partial files stay in the staging area, so Resume continues them) and waits for the
/// threads, so nothing half-written ever appears in the store.
class ModelManagerWindow : public QDialog {
    Q_OBJECT
public:
    /// Asks the user to confirm; returns true to go ahead. `acceptLabel` names the accepting button.
    using ConfirmHandler = std::function<bool(const QString& title, const QString& text, const QString& acceptLabel)>;
    /// Shows a folder in the platform's file manager.
    using RevealHandler = std::function<void(const QString& folder)>;

    /// A manager for the default store (BENCHTOP_MODELS_DIR or the platform data folder), the user's Hugging
    /// Face cache and the built-in catalog. `tasks`: the engine's task kinds (filters, labels, "Use for new jobs").
    explicit ModelManagerWindow(const engine::TaskRegistry& tasks, QWidget* parent = nullptr);
    /// A manager for `store` (tests: a temporary store and cache).
    ModelManagerWindow(const engine::TaskRegistry& tasks, hub::ModelStore store, QWidget* parent = nullptr);
    ~ModelManagerWindow() override;

    /// Replaces the confirmation dialogs (licence notices, removals); tests answer them without a modal loop.
    void setConfirmHandler(ConfirmHandler handler);
    /// Whether research-only and restricted-licence models ask before downloading (default on).
    void setConfirmLicences(bool on) { m_confirmLicences = on; }
    /// Replaces QDesktopServices for "Reveal in File Manager".
    void setRevealHandler(RevealHandler handler);
    /// Retry, stall and timeout settings for downloads started from now on.
    void setDownloadOptions(const hub::DownloadOptions& options) { m_downloadOptions = options; }
    const hub::DownloadOptions& downloadOptions() const { return m_downloadOptions; }

    const hub::ModelStore& store() const { return m_store; }
    ModelTableModel* tableModel() const { return m_model; }
    ModelFilterProxy* filterModel() const { return m_proxy; }
    QTableView* tableView() const { return m_view; }
    QLineEdit* filterEdit() const { return m_filter; }
    QComboBox* taskFilter() const { return m_task; }
    QLabel* footerLabel() const { return m_footer; }
    /// The text of the message bar (the last notice or error); empty when it is hidden.
    QString messageText() const;

    QAction* downloadAction() const { return m_download; }
    QAction* resumeAction() const { return m_resume; }
    QAction* cancelAction() const { return m_cancel; }
    QAction* removeAction() const { return m_remove; }
    QAction* revealAction() const { return m_reveal; }
    QAction* useAction() const { return m_use; }
    QAction* importFolderAction() const { return m_importFolder; }
    QAction* importZipAction() const { return m_importZip; }

    /// Selects the row of `id` (clearing filters that hide it); false when there is no such row.
    bool selectModel(const QString& id);
    /// The id of the selected row, or empty.
    QString selectedId() const;
    /// Downloads running now.
    int runningDownloads() const { return int(m_downloads.size()); }

public Q_SLOTS:
    /// Re-reads the catalog, the store, the Hugging Face cache and unfinished downloads.
    void refresh();
    /// Starts (or resumes) the download of the row `id`, after the licence notice when it has one.
    void startDownload(const QString& id);
    /// Asks a running download of `id` to stop; its partial files are kept for Resume.
    void cancelDownload(const QString& id);
    /// Cancels every running download and waits for their threads.
    void cancelAllDownloads();
    /// Imports a model folder or a .zip into the store on a worker thread; importFinished() reports the outcome.
    void importPath(const QString& path, const QString& id = {});

Q_SIGNALS:
    /// A download ended: `error` is empty on success.
    void downloadFinished(const QString& id, const QString& error);
    /// A download stopped because it was cancelled.
    void downloadCancelled(const QString& id);
    /// An import ended: `id` is the new store id (empty on failure), `error` empty on success.
    void importFinished(const QString& id, const QString& error);

public Q_SLOTS:
    /// Cancels running downloads, then hides the window (Escape, Close, the title bar's close button).
    void reject() override;

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    enum class MessageKind { Info, Warning, Error };

    static hub::ModelStore defaultStore();
    void createWidgets();
    void createActions();
    void updateActions();
    void updateFooter();
    void updateModelsInUse();
    void showMessage(MessageKind kind, const QString& text);
    bool confirm(const QString& title, const QString& text, const QString& acceptLabel);
    void reveal(const QString& folder);
    QString licenceNotice(const QString& id) const;
    void finishDownload(const QString& id);

    void downloadSelected();
    void cancelSelected();
    void removeSelected();
    void revealSelected();
    void useSelectedForNewJobs();
    void chooseImportFolder();
    void chooseImportZip();

    hub::ModelStore m_store;
    Settings m_settings;
    hub::DownloadOptions m_downloadOptions;
    bool m_confirmLicences = true;
    ConfirmHandler m_confirmHandler;
    RevealHandler m_revealHandler;

    ModelTableModel* m_model = nullptr;
    ModelFilterProxy* m_proxy = nullptr;
    QTableView* m_view = nullptr;
    QLineEdit* m_filter = nullptr;
    QComboBox* m_task = nullptr;
    QStringList m_modelTasks;  ///< ids of the tasks whose jobs run a model the user picks
    QCheckBox* m_localOnly = nullptr;
    QFrame* m_messageBar = nullptr;
    QLabel* m_messageIcon = nullptr;
    QLabel* m_message = nullptr;
    QLabel* m_footer = nullptr;
    QToolButton* m_importButton = nullptr;

    QAction* m_download = nullptr;
    QAction* m_resume = nullptr;
    QAction* m_cancel = nullptr;
    QAction* m_remove = nullptr;
    QAction* m_reveal = nullptr;
    QAction* m_use = nullptr;
    QAction* m_importFolder = nullptr;
    QAction* m_importZip = nullptr;
    QAction* m_refresh = nullptr;

    QHash<QString, StoreTask*> m_downloads;  ///< running pulls by row id
    QList<StoreTask*> m_imports;             ///< running imports
};

}  // namespace benchtop::ui
