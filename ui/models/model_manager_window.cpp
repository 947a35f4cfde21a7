#include "ui/models/model_manager_window.h"

#include "core/hub/licence_notices.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QShowEvent>
#include <QStyle>
#include <QStyleOptionProgressBar>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

#include <exception>
#include <memory>
#include <utility>

#include "core/common/error.h"
#include "core/hub/catalog.h"
#include "core/hub/store_status.h"
#include "ui/models/model_table_model.h"
#include "ui/models/store_task.h"
#include "core/hub/zip_import.h"
#include "ui/theme.h"
#include "ui/workload_text.h"

namespace benchtop::ui {

namespace {

QString qs(const std::string& text) {
    return QString::fromStdString(text);
}

/// Draws a progress bar in the status cell of a downloading row; other cells paint as usual.
class StatusDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        const double progress = index.data(ModelTableModel::ProgressRole).toDouble();
        if (index.column() != ModelTableModel::StatusColumn || progress < 0) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        const QWidget* widget = option.widget;
        QStyle* style = widget ? widget->style() : QApplication::style();
        QStyleOptionViewItem background(option);
        initStyleOption(&background, index);
        background.text.clear();
        style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(4, 3, -4, -3);
        bar.palette = option.palette;
        bar.state = QStyle::State_Enabled | QStyle::State_Horizontal;
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = int(progress * 1000);
        bar.text = index.data(Qt::DisplayRole).toString();
        bar.textVisible = true;
        bar.textAlignment = Qt::AlignCenter;
        style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
    }
};

/// The notices a restricted licence or usage flag needs before a download; empty when there are none.
/// The model's terms of use from core/hub, in the UI's language where a translation exists.
QStringList usageNotices(const ModelRow& row) {
    std::vector<std::string> flags;
    for (const QString& flag : row.usageFlags) flags.push_back(flag.toStdString());
    QStringList notices;
    for (const hub::UsageNotice& notice : hub::usageNotices(row.researchOnly, flags, row.licence.toStdString())) {
        if (notice.code == "research-only")
            notices << QObject::tr("Research use only: not for clinical, diagnostic or commercial use.");
        else if (notice.code == "commercial-use-needs-licence")
            notices << QObject::tr("Commercial use needs a licence from the rights holder.");
        else if (notice.code == "check-licence")
            notices << QObject::tr("The terms of use are unclear upstream; check them before relying on this model.");
        else if (notice.code == "upstream-has-no-licence")
            notices << QObject::tr("The upstream source publishes no licence, so reuse rights are unclear.");
        else if (notice.code == "non-commercial")
            notices << QObject::tr("The licence (%1) does not allow commercial use.").arg(row.licence);
        else
            notices << QString::fromStdString(notice.text);
    }
    return notices;
}

bool isDownloadable(const ModelRow& row) {
    return row.inCatalog || !row.repo.isEmpty();
}

/// What to hand the downloader for a row: the catalog id, else the repository id.
QString pullRef(const ModelRow& row) {
    return row.inCatalog || row.repo.isEmpty() ? row.id : row.repo;
}

}  // namespace

ModelManagerWindow::ModelManagerWindow(const engine::TaskRegistry& tasks, QWidget* parent)
    : ModelManagerWindow(tasks, defaultStore(), parent) {
    if (!m_store.catalog().entries().empty()) return;
    // Say why the catalog is missing; the store and the Hugging Face cache are still listed.
    try {
        hub::Catalog::loadDefault();
        showMessage(MessageKind::Warning, tr("The model catalog is empty."));
    } catch (const std::exception& e) {
        showMessage(
            MessageKind::Error,
            tr("The model catalog could not be loaded: %1 Set BENCHTOP_CATALOG to its path.").arg(qs(e.what())));
    }
}

hub::ModelStore ModelManagerWindow::defaultStore() {
    try {
        return hub::ModelStore(hub::Catalog::loadDefault());
    } catch (const std::exception&) {
        return hub::ModelStore();  // the constructor reports the problem
    }
}

ModelManagerWindow::ModelManagerWindow(const engine::TaskRegistry& tasks, hub::ModelStore store, QWidget* parent)
    : QDialog(parent), m_store(std::move(store)) {
    setWindowTitle(tr("Models — Benchtop"));
    setObjectName(QStringLiteral("modelManager"));
    setWindowFlag(Qt::WindowMaximizeButtonHint);
    setModal(false);
    resize(1180, 660);
    m_model = new ModelTableModel(this);
    m_proxy = new ModelFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    QList<ModelTableModel::TaskLabel> labels;
    for (const engine::TaskKind& kind : tasks.kinds()) {
        labels.append({qs(kind.id), workloadText(kind.name), kind.order});
        if (kind.choosesModel) m_modelTasks << qs(kind.id);
    }
    m_model->setTasks(labels);
    createActions();
    createWidgets();
    for (const ModelTableModel::TaskLabel& task : labels) m_task->addItem(task.name, task.id);
    refresh();
}

ModelManagerWindow::~ModelManagerWindow() {
    // Stop the work before the members it reports to go away: cancel every pull first so they stop together,
    // then delete (each deletion waits, bounded, for its work to return).
    for (StoreTask* task : std::as_const(m_downloads)) task->cancel();
    for (StoreTask* task : std::as_const(m_downloads)) {
        disconnect(task, nullptr, this, nullptr);
        delete task;
    }
    m_downloads.clear();
    for (StoreTask* task : std::as_const(m_imports)) {
        disconnect(task, nullptr, this, nullptr);
        delete task;
    }
    m_imports.clear();
}

void ModelManagerWindow::setConfirmHandler(ConfirmHandler handler) {
    m_confirmHandler = std::move(handler);
}

void ModelManagerWindow::setRevealHandler(RevealHandler handler) {
    m_revealHandler = std::move(handler);
}

void ModelManagerWindow::createActions() {
    QStyle* s = style();
    auto action = [this](const QIcon& icon, const QString& text, const QString& tip, const char* name) {
        auto* a = new QAction(icon, text, this);
        a->setStatusTip(tip);
        a->setToolTip(tip);
        a->setObjectName(QLatin1String(name));
        return a;
    };
    m_download = action(s->standardIcon(QStyle::SP_ArrowDown), tr("&Download"),
                        tr("Download the selected catalog model into Benchtop's store"), "downloadAction");
    m_resume = action(s->standardIcon(QStyle::SP_MediaPlay), tr("&Resume"),
                      tr("Continue an unfinished download from where it stopped"), "resumeAction");
    m_cancel = action(s->standardIcon(QStyle::SP_DialogCancelButton), tr("&Cancel"),
                      tr("Stop the running download; Resume continues it later"), "cancelAction");
    m_remove = action(s->standardIcon(QStyle::SP_TrashIcon), tr("Re&move"),
                      tr("Delete the model (or an unfinished download) from Benchtop's store"), "removeAction");
    m_remove->setShortcut(QKeySequence::Delete);
    m_reveal = action(s->standardIcon(QStyle::SP_DirOpenIcon), tr("Re&veal"),
                      tr("Show the model's folder in the file manager"), "revealAction");
    m_use = action(s->standardIcon(QStyle::SP_DialogApplyButton), tr("&Use for New Jobs"),
                   tr("New jobs of this task use the selected model"), "useAction");
    m_importFolder = action(s->standardIcon(QStyle::SP_DirIcon), tr("Import &Folder…"),
                            tr("Copy a model folder (Hugging Face layout) into the store"), "importFolderAction");
    m_importZip = action(s->standardIcon(QStyle::SP_FileIcon), tr("Import &Zip…"),
                         tr("Unpack a zipped model folder into the store"), "importZipAction");
    m_refresh = action(s->standardIcon(QStyle::SP_BrowserReload), tr("Re&fresh"),
                       tr("Look at the store and the Hugging Face cache again"), "refreshAction");
    m_refresh->setShortcut(QKeySequence::Refresh);

    connect(m_download, &QAction::triggered, this, &ModelManagerWindow::downloadSelected);
    connect(m_resume, &QAction::triggered, this, &ModelManagerWindow::downloadSelected);
    connect(m_cancel, &QAction::triggered, this, &ModelManagerWindow::cancelSelected);
    connect(m_remove, &QAction::triggered, this, &ModelManagerWindow::removeSelected);
    connect(m_reveal, &QAction::triggered, this, &ModelManagerWindow::revealSelected);
    connect(m_use, &QAction::triggered, this, &ModelManagerWindow::useSelectedForNewJobs);
    connect(m_importFolder, &QAction::triggered, this, &ModelManagerWindow::chooseImportFolder);
    connect(m_importZip, &QAction::triggered, this, &ModelManagerWindow::chooseImportZip);
    connect(m_refresh, &QAction::triggered, this, &ModelManagerWindow::refresh);
    for (QAction* a : {m_remove, m_refresh}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
}

void ModelManagerWindow::createWidgets() {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 10);
    layout->setSpacing(8);

    // Message bar: notices and errors stay visible without a modal box (downloads keep running meanwhile).
    m_messageBar = new QFrame(this);
    m_messageBar->setObjectName(QStringLiteral("messageBar"));
    m_messageBar->setFrameShape(QFrame::StyledPanel);
    auto* messageLayout = new QHBoxLayout(m_messageBar);
    messageLayout->setContentsMargins(10, 6, 6, 6);
    m_messageIcon = new QLabel(m_messageBar);
    m_message = new QLabel(m_messageBar);
    m_message->setObjectName(QStringLiteral("messageText"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* closeMessage = new QToolButton(m_messageBar);
    closeMessage->setAutoRaise(true);
    closeMessage->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    closeMessage->setToolTip(tr("Dismiss"));
    connect(closeMessage, &QToolButton::clicked, m_messageBar, &QWidget::hide);
    messageLayout->addWidget(m_messageIcon, 0, Qt::AlignTop);
    messageLayout->addWidget(m_message, 1);
    messageLayout->addWidget(closeMessage, 0, Qt::AlignTop);
    m_messageBar->hide();
    layout->addWidget(m_messageBar);

    // Filters and the import menu.
    auto* filters = new QHBoxLayout();
    filters->setSpacing(8);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("modelFilter"));
    m_filter->setPlaceholderText(tr("Filter by name, id, repository, family or licence"));
    m_filter->setClearButtonEnabled(true);
    m_filter->addAction(style()->standardIcon(QStyle::SP_FileDialogContentsView), QLineEdit::LeadingPosition);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &ModelFilterProxy::setText);
    auto* focusFilter = new QAction(this);
    focusFilter->setShortcut(QKeySequence::Find);
    connect(focusFilter, &QAction::triggered, m_filter, [this]() { m_filter->setFocus(Qt::ShortcutFocusReason); });
    addAction(focusFilter);

    m_task = new QComboBox(this);
    m_task->setObjectName(QStringLiteral("taskFilter"));
    m_task->addItem(tr("All tasks"), QString());
    connect(m_task, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int index) { m_proxy->setTask(m_task->itemData(index).toString()); });

    m_localOnly = new QCheckBox(tr("On this machine"), this);
    m_localOnly->setObjectName(QStringLiteral("localOnly"));
    m_localOnly->setToolTip(tr("Show only models in the store, the Hugging Face cache or partly downloaded"));
    connect(m_localOnly, &QCheckBox::toggled, m_proxy, &ModelFilterProxy::setLocalOnly);

    m_importButton = new QToolButton(this);
    m_importButton->setObjectName(QStringLiteral("importButton"));
    m_importButton->setText(tr("Import…"));
    m_importButton->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    m_importButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_importButton->setPopupMode(QToolButton::InstantPopup);
    auto* importMenu = new QMenu(m_importButton);
    importMenu->addAction(m_importFolder);
    importMenu->addAction(m_importZip);
    m_importButton->setMenu(importMenu);
    auto* refreshButton = new QToolButton(this);
    refreshButton->setDefaultAction(m_refresh);
    refreshButton->setToolButtonStyle(Qt::ToolButtonIconOnly);

    filters->addWidget(m_filter, 1);
    filters->addWidget(m_task);
    filters->addWidget(m_localOnly);
    filters->addSpacing(12);
    filters->addWidget(m_importButton);
    filters->addWidget(refreshButton);
    layout->addLayout(filters);

    // The table.
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("modelTable"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegateForColumn(ModelTableModel::StatusColumn, new StatusDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 12);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);  // catalog order until a header is clicked
    m_view->setSortingEnabled(true);
    m_view->setColumnWidth(ModelTableModel::NameColumn, 270);
    m_view->setColumnWidth(ModelTableModel::IdColumn, 200);
    m_view->setColumnWidth(ModelTableModel::TaskColumn, 95);
    m_view->setColumnWidth(ModelTableModel::FamilyColumn, 75);
    m_view->setColumnWidth(ModelTableModel::SizeColumn, 80);
    m_view->setColumnWidth(ModelTableModel::LicenceColumn, 150);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (QAction* a : {m_download, m_resume, m_cancel, m_remove, m_reveal, m_use}) m_view->addAction(a);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ModelManagerWindow::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ModelManagerWindow::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ModelManagerWindow::updateActions);
    connect(m_view, &QTableView::doubleClicked, this, [this]() {
        if (m_download->isEnabled())
            m_download->trigger();
        else if (m_resume->isEnabled())
            m_resume->trigger();
    });
    layout->addWidget(m_view, 1);

    // Row actions.
    auto* buttons = new QHBoxLayout();
    buttons->setSpacing(6);
    auto button = [this](QAction* action) {
        auto* b = new QToolButton(this);
        b->setDefaultAction(action);
        b->setObjectName(action->objectName().replace(QLatin1String("Action"), QLatin1String("Button")));
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        return b;
    };
    buttons->addWidget(button(m_download));
    buttons->addWidget(button(m_resume));
    buttons->addWidget(button(m_cancel));
    buttons->addSpacing(12);
    buttons->addWidget(button(m_remove));
    buttons->addWidget(button(m_reveal));
    buttons->addSpacing(12);
    buttons->addWidget(button(m_use));
    buttons->addStretch(1);
    auto* close = new QPushButton(tr("Close"), this);
    close->setAutoDefault(false);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    buttons->addWidget(close);
    layout->addLayout(buttons);

    // Footer: where the store is, what it takes, what is left.
    auto* line = new QFrame(this);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    layout->addWidget(line);
    m_footer = new QLabel(this);
    m_footer->setObjectName(QStringLiteral("storeFooter"));
    m_footer->setTextFormat(Qt::RichText);
    m_footer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_footer->setWordWrap(true);
    layout->addWidget(m_footer);
}

QString ModelManagerWindow::messageText() const {
    return m_messageBar->isHidden() ? QString() : m_message->text();
}

void ModelManagerWindow::showMessage(MessageKind kind, const QString& text) {
    theme::Tone tone = theme::Tone::Accent;
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    switch (kind) {
        case MessageKind::Info:
            break;
        case MessageKind::Warning:
            tone = theme::Tone::Warning;
            icon = QStyle::SP_MessageBoxWarning;
            break;
        case MessageKind::Error:
            tone = theme::Tone::Error;
            icon = QStyle::SP_MessageBoxCritical;
            break;
    }
    const QPalette palette = this->palette();
    const QColor background = theme::tint(tone, palette);
    // A tint of the tone from the palette: light in light themes, dark in dark ones, so the palette's text reads.
    const QString colours = QStringLiteral("background: %1; border: 1px solid %2;")
                                .arg(theme::css(background), theme::css(theme::border(tone, palette)));
    m_messageBar->setStyleSheet(QStringLiteral("QFrame#messageBar { %1 border-radius: 4px; }").arg(colours));
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_messageIcon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    m_message->setText(text);
    m_messageBar->show();
}

bool ModelManagerWindow::confirm(const QString& title, const QString& text, const QString& acceptLabel) {
    if (m_confirmHandler) return m_confirmHandler(title, text, acceptLabel);
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::NoButton, this);
    box.setTextFormat(Qt::PlainText);
    QPushButton* accept = box.addButton(acceptLabel, QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(accept);
    box.exec();
    return box.clickedButton() == accept;
}

void ModelManagerWindow::reveal(const QString& folder) {
    if (m_revealHandler) {
        m_revealHandler(folder);
        return;
    }
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(folder)))
        showMessage(MessageKind::Error, tr("No file manager could open %1.").arg(QDir::toNativeSeparators(folder)));
}

void ModelManagerWindow::refresh() {
    const QString selected = selectedId();
    try {
        m_model->refresh(m_store);
    } catch (const std::exception& e) {
        showMessage(MessageKind::Error, tr("Reading the model store failed: %1").arg(qs(e.what())));
    }
    updateModelsInUse();
    updateFooter();
    if (!selected.isEmpty()) selectModel(selected);
    updateActions();
}

void ModelManagerWindow::updateModelsInUse() {
    QHash<QString, QString> inUse;
    for (const QString& task : m_modelTasks) {
        const QString model = m_settings.modelFor(task);
        if (!model.isEmpty()) inUse.insert(task, model);
    }
    m_model->setModelsInUse(inUse);
}

void ModelManagerWindow::updateFooter() {
    const hub::StoreUsage usage = hub::storeUsage(m_store);
    int installed = 0;
    for (int i = 0; i < m_model->rowCount(); ++i) {
        const ModelRow& row = m_model->rowAt(i);
        if (row.location == hub::ModelLocation::Store &&
            (row.status == ModelStatus::Installed || row.status == ModelStatus::Incomplete))
            ++installed;
    }
    const QString storeDir = QDir::toNativeSeparators(qs(m_store.storeDir()));
    const QString models = installed == 1 ? tr("1 model") : tr("%1 models").arg(installed);
    QString text = installed == 0
                       ? tr("<b>Store</b>&nbsp; %1 — empty").arg(storeDir.toHtmlEscaped())
                       : tr("<b>Store</b>&nbsp; %1 — %2 in %3")
                             .arg(storeDir.toHtmlEscaped(), ModelTableModel::sizeText(usage.modelBytes), models);
    if (usage.stagingBytes > 0)
        text += tr(", %1 in unfinished downloads").arg(ModelTableModel::sizeText(usage.stagingBytes));
    if (usage.volumeKnown) {
        text += tr(" · %1 free of %2 on its volume")
                    .arg(ModelTableModel::sizeText(usage.freeBytes), ModelTableModel::sizeText(usage.capacityBytes));
    }
    QStringList caches;
    for (const std::string& dir : m_store.hfCacheDirs()) caches << QDir::toNativeSeparators(qs(dir)).toHtmlEscaped();
    text += QStringLiteral("<br>") + tr("<b>Hugging Face cache</b>&nbsp; %1 — used in place, never modified")
                                         .arg(caches.isEmpty() ? tr("none") : caches.join(QStringLiteral(", ")));
    int bundled = 0;
    for (int i = 0; i < m_model->rowCount(); ++i) bundled += m_model->rowAt(i).location == hub::ModelLocation::Bundled;
    if (bundled > 0) {
        text +=
            QStringLiteral("<br>") + tr("<b>Bundled</b>&nbsp; %1 clock tables shipped with Benchtop in %2")
                                         .arg(bundled)
                                         .arg(QDir::toNativeSeparators(qs(m_store.bundledClocksDir())).toHtmlEscaped());
    }
    m_footer->setText(text);
}

bool ModelManagerWindow::selectModel(const QString& id) {
    const int sourceRow = m_model->indexOf(id);
    if (sourceRow < 0) return false;
    QModelIndex index = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
    if (!index.isValid()) {
        // Hidden by the filters: clear them so the selection is visible.
        m_filter->clear();
        m_task->setCurrentIndex(0);
        m_localOnly->setChecked(false);
        index = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
        if (!index.isValid()) return false;
    }
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    return true;
}

QString ModelManagerWindow::selectedId() const {
    if (!m_view || !m_view->selectionModel()) return {};
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty()) return {};
    return m_proxy->mapToSource(rows.first()).data(ModelTableModel::IdRole).toString();
}

void ModelManagerWindow::updateActions() {
    const QString id = selectedId();
    const ModelRow* row = id.isEmpty() ? nullptr : m_model->row(id);
    const bool downloading = row && row->status == ModelStatus::Downloading;
    const bool hasPartial =
        row && row->partialBytes > 0 && (row->status == ModelStatus::Partial || row->status == ModelStatus::Failed);
    // A bundled clock table is part of the installation: it cannot be removed, and Download puts a copy (a newer
    // table, when the catalog has one) into the store, which is then used instead.
    const bool bundled = row && row->location == hub::ModelLocation::Bundled;
    const bool local = row && !bundled &&
                       (row->status == ModelStatus::Installed || row->status == ModelStatus::HfCache ||
                        row->status == ModelStatus::Incomplete);
    m_download->setEnabled(row && isDownloadable(*row) && !hasPartial &&
                           (row->status == ModelStatus::NotInstalled || row->status == ModelStatus::Failed ||
                            (bundled && row->status != ModelStatus::Downloading)));
    m_resume->setEnabled(row && isDownloadable(*row) && hasPartial);
    m_cancel->setEnabled(downloading && !row->download.cancelling);
    m_remove->setEnabled(row && !downloading && (local || hasPartial));
    m_reveal->setEnabled(row && !row->path.isEmpty() && QFileInfo(row->path).isDir());
    const bool runnable = row && m_modelTasks.contains(row->task);
    m_use->setEnabled(runnable && !row->inUse &&
                      (row->status == ModelStatus::Installed || row->status == ModelStatus::HfCache));
    m_remove->setText(row && row->location == hub::ModelLocation::HfCache && local ? tr("Re&move…")
                      : hasPartial                                                 ? tr("Discard Partial")
                                                                                   : tr("Re&move"));
}

QString ModelManagerWindow::licenceNotice(const QString& id) const {
    const ModelRow* row = m_model->row(id);
    if (!row) return {};
    const QStringList notices = usageNotices(*row);
    if (notices.isEmpty()) return {};
    QString text = tr("%1 (%2) is distributed under: %3.")
                       .arg(row->name, row->id, row->licence.isEmpty() ? tr("no stated licence") : row->licence);
    text += QStringLiteral("\n\n• ") + notices.join(QStringLiteral("\n• "));
    if (!row->notes.isEmpty()) text += QStringLiteral("\n\n") + row->notes;
    text += QStringLiteral("\n\n") + tr("Download it and accept these terms?");
    return text;
}

void ModelManagerWindow::startDownload(const QString& id) {
    const ModelRow* row = m_model->row(id);
    if (!row || m_downloads.contains(row->id)) return;
    if (!isDownloadable(*row)) {
        showMessage(MessageKind::Warning,
                    tr("%1 is not in the catalog and has no repository to download from.").arg(id));
        return;
    }
    const QString rowId = row->id;
    const QString name = row->name;
    const QString ref = pullRef(*row);
    if (m_confirmLicences) {
        const QString notice = licenceNotice(rowId);
        if (!notice.isEmpty() && !confirm(tr("Licence — %1").arg(name), notice, tr("Accept and Download"))) {
            showMessage(MessageKind::Info, tr("%1 was not downloaded.").arg(name));
            return;
        }
    }
    StoreTask* task = StoreTask::pull(rowId, ref, m_store, m_downloadOptions, this);
    m_downloads.insert(rowId, task);
    connect(
        task, &StoreTask::progress, this,
        [this, rowId](const hub::DownloadProgress& progress) { m_model->downloadProgress(rowId, progress); },
        Qt::QueuedConnection);
    connect(
        task, &StoreTask::succeeded, this,
        [this, rowId, name](const QString& folder) {
            finishDownload(rowId);
            m_model->downloadEnded(rowId);
            refresh();
            showMessage(MessageKind::Info, tr("%1 is installed in %2.").arg(name, QDir::toNativeSeparators(folder)));
            Q_EMIT downloadFinished(rowId, QString());
        },
        Qt::QueuedConnection);
    connect(
        task, &StoreTask::failed, this,
        [this, rowId, name](const QString& error) {
            finishDownload(rowId);
            m_model->downloadEnded(rowId, error);
            refresh();
            showMessage(MessageKind::Error, tr("%1 could not be downloaded: %2").arg(name, error));
            Q_EMIT downloadFinished(rowId, error);
        },
        Qt::QueuedConnection);
    connect(
        task, &StoreTask::cancelled, this,
        [this, rowId, name]() {
            finishDownload(rowId);
            m_model->downloadEnded(rowId);
            refresh();
            showMessage(
                MessageKind::Info,
                tr("The download of %1 was cancelled. Its partial files are kept; Resume continues it.").arg(name));
            Q_EMIT downloadCancelled(rowId);
        },
        Qt::QueuedConnection);
    m_model->downloadStarted(rowId);
    task->start();
    updateActions();
}

void ModelManagerWindow::finishDownload(const QString& id) {
    if (StoreTask* task = m_downloads.take(id)) task->deleteLater();  // its work has returned: no wait
}

void ModelManagerWindow::cancelDownload(const QString& id) {
    StoreTask* task = m_downloads.value(id);
    if (!task) return;
    task->cancel();
    m_model->downloadCancelling(id);
}

void ModelManagerWindow::cancelAllDownloads() {
    if (m_downloads.isEmpty()) return;
    const QHash<QString, StoreTask*> tasks = std::exchange(m_downloads, {});
    for (StoreTask* task : tasks) task->cancel();
    for (auto it = tasks.begin(); it != tasks.end(); ++it) {
        // Deleting waits (bounded) for the cancelled work to stop; reports it queued are dropped with the task.
        disconnect(it.value(), nullptr, this, nullptr);
        delete it.value();
        m_model->downloadEnded(it.key());
    }
    refresh();
    showMessage(MessageKind::Info, tr("Running downloads were cancelled; Resume continues them."));
}

void ModelManagerWindow::downloadSelected() {
    const QString id = selectedId();
    if (!id.isEmpty()) startDownload(id);
}

void ModelManagerWindow::cancelSelected() {
    const QString id = selectedId();
    if (!id.isEmpty()) cancelDownload(id);
}

void ModelManagerWindow::removeSelected() {
    const QString id = selectedId();
    const ModelRow* row = id.isEmpty() ? nullptr : m_model->row(id);
    if (!row || row->status == ModelStatus::Downloading) return;
    const ModelRow target = *row;
    const QString folder = QDir::toNativeSeparators(target.path);
    try {
        if ((target.status == ModelStatus::Partial || target.status == ModelStatus::Failed) && target.partialBytes) {
            if (!confirm(tr("Discard Download"),
                         tr("Discard the unfinished download of %1 (%2 in %3)? A new download starts from zero.")
                             .arg(target.name, ModelTableModel::sizeText(target.partialBytes), folder),
                         tr("Discard")))
                return;
            hub::discardPartialDownload(m_store, QFileInfo(target.path).fileName().toStdString());
            m_model->downloadEnded(target.id);  // forget a failure message along with the files
            showMessage(MessageKind::Info, tr("The unfinished download of %1 was discarded.").arg(target.name));
        } else if (target.location == hub::ModelLocation::HfCache) {
            // The cache belongs to the user's Python tools; Benchtop only reads it.
            const QString text =
                tr("%1 is in your Hugging Face cache:\n%2\n\nBenchtop uses it in place and never deletes from that "
                   "cache, because other tools (transformers, sentence-transformers) share it. To free the space, "
                   "use `huggingface-cli delete-cache`.\n\nShow the folder instead?")
                    .arg(target.name, folder);
            if (confirm(tr("Model in the Hugging Face Cache"), text, tr("Reveal in File Manager"))) reveal(target.path);
            return;
        } else if (target.location == hub::ModelLocation::Store) {
            if (!confirm(tr("Remove Model"),
                         tr("Delete %1 from Benchtop's store? This frees %2.\n\n%3")
                             .arg(target.name, ModelTableModel::sizeText(target.bytes), folder),
                         tr("Remove")))
                return;
            m_store.remove(QFileInfo(target.path).fileName().toStdString());
            showMessage(MessageKind::Info, tr("%1 was removed from the store.").arg(target.name));
        } else {
            return;
        }
    } catch (const std::exception& e) {
        showMessage(MessageKind::Error, qs(e.what()));
    }
    refresh();
}

void ModelManagerWindow::revealSelected() {
    const ModelRow* row = m_model->row(selectedId());
    if (row && !row->path.isEmpty()) reveal(row->path);
}

void ModelManagerWindow::useSelectedForNewJobs() {
    const ModelRow* row = m_model->row(selectedId());
    if (!row || !m_modelTasks.contains(row->task)) return;
    // A catalog id or repository id keeps working if the model moves between the store and the cache.
    const QString ref = row->inCatalog ? row->id : row->location == hub::ModelLocation::HfCache ? row->repo : row->id;
    const QString task = row->task;
    const QString name = row->name;
    m_settings.setModelFor(task, ref);
    m_settings.sync();
    updateModelsInUse();
    updateActions();
    showMessage(MessageKind::Info, tr("New %1 jobs will use %2.").arg(task, name));
}

void ModelManagerWindow::chooseImportFolder() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Import Model Folder"), m_settings.lastOpenFolder());
    if (folder.isEmpty()) return;
    m_settings.setLastOpenFolder(QFileInfo(folder).path());
    importPath(folder);
}

void ModelManagerWindow::chooseImportZip() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Import Zipped Model"), m_settings.lastOpenFolder(),
                                                      tr("Zip archives (*.zip)"));
    if (file.isEmpty()) return;
    m_settings.setLastOpenFolder(QFileInfo(file).path());
    importPath(file);
}

void ModelManagerWindow::importPath(const QString& path, const QString& id) {
    auto store = std::make_shared<hub::ModelStore>(m_store);
    const bool zip = QFileInfo(path).isFile();
    const QString display = QFileInfo(path).fileName();
    auto* task = new StoreTask(
        QStringLiteral("import:") + path,
        [store, path, id, zip](const JobControl&) {
            if (zip) return hub::importModelZip(*store, path.toStdString(), id.toStdString()).path;
            return store->importFolder(path.toStdString(), id.toStdString(), /*move=*/false).path;
        },
        {}, this);
    m_imports << task;
    auto done = [this, task]() {
        m_imports.removeOne(task);
        task->deleteLater();
        m_importButton->setEnabled(true);
    };
    connect(
        task, &StoreTask::succeeded, this,
        [this, done, display](const QString& folder) {
            done();
            refresh();
            const QString newId = QFileInfo(folder).fileName();
            selectModel(newId);
            showMessage(MessageKind::Info, tr("%1 was imported into the store as %2.").arg(display, newId));
            Q_EMIT importFinished(newId, QString());
        },
        Qt::QueuedConnection);
    connect(
        task, &StoreTask::failed, this,
        [this, done](const QString& error) {
            done();
            refresh();
            showMessage(MessageKind::Error, tr("Import failed: %1").arg(error));
            Q_EMIT importFinished(QString(), error);
        },
        Qt::QueuedConnection);
    m_importButton->setEnabled(false);
    showMessage(MessageKind::Info, tr("Importing %1…").arg(display));
    task->start();
}

void ModelManagerWindow::showEvent(QShowEvent* event) {
    QDialog::showEvent(event);
    // The CLI or another window may have changed the store while this one was hidden.
    if (!event->spontaneous()) refresh();
}

void ModelManagerWindow::closeEvent(QCloseEvent* event) {
    cancelAllDownloads();
    QDialog::closeEvent(event);
}

void ModelManagerWindow::reject() {
    // Escape and the Close button end up here too: a hidden manager runs no downloads.
    cancelAllDownloads();
    QDialog::reject();
}

}  // namespace benchtop::ui
