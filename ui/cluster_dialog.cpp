#include "ui/cluster_dialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <exception>
#include <set>

#include "core/common/error.h"
#include "core/engine/input_plan.h"
#include "core/engine/task.h"
#include "ui/settings.h"
#include "ui/theme.h"

namespace benchtop::ui {

namespace {

QString qs(const std::string& text) {
    return QString::fromStdString(text);
}

/// Everything a request is made of, to tell whether a prepared submission still matches the fields.
QString fingerprint(const cluster::SlurmRequest& r) {
    QStringList parts;
    for (const std::string& input : r.inputs) parts << qs(input);
    parts << QString::number(r.shards) << qs(r.partition) << qs(r.time) << qs(r.mem) << QString::number(r.gpusPerTask)
          << QString::number(r.cpusPerTask) << qs(r.outputDir) << qs(r.task) << qs(r.model) << qs(r.device)
          << qs(r.precision) << qs(r.cliPath);
    for (const std::string& set : r.sets) parts << qs(set);
    return parts.join(QChar(0x1f));
}

}  // namespace

ClusterDialog::ClusterDialog(Settings& settings, const engine::TaskRegistry& registry,
                             const device::DeviceRequest& device, QWidget* parent)
    : QDialog(parent), m_settings(settings), m_registry(registry), m_device(device) {
    setWindowTitle(tr("Run on Cluster"));
    setObjectName(QStringLiteral("clusterDialog"));
    setMinimumWidth(620);
    const ClusterSettings saved = m_settings.cluster();

    auto* inputsBox = new QGroupBox(tr("Inputs"), this);
    auto* inputsRow = new QHBoxLayout(inputsBox);
    m_inputs = new QListWidget(inputsBox);
    m_inputs->setObjectName(QStringLiteral("clusterInputs"));
    m_inputs->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_inputs->setMinimumHeight(fontMetrics().height() * 5);
    m_inputs->setMaximumHeight(fontMetrics().height() * 8);
    auto* inputButtons = new QVBoxLayout();
    auto* addFiles = new QPushButton(tr("Add &Files…"), inputsBox);
    auto* addFolder = new QPushButton(tr("Add F&older…"), inputsBox);
    auto* remove = new QPushButton(tr("&Remove"), inputsBox);
    inputButtons->addWidget(addFiles);
    inputButtons->addWidget(addFolder);
    inputButtons->addWidget(remove);
    inputButtons->addStretch(1);
    inputsRow->addWidget(m_inputs, 1);
    inputsRow->addLayout(inputButtons);
    connect(addFiles, &QPushButton::clicked, this, [this]() {
        const QStringList files =
            QFileDialog::getOpenFileNames(this, tr("Inputs to run on the cluster"), m_settings.lastOpenFolder());
        if (files.isEmpty()) return;
        m_settings.setLastOpenFolder(QFileInfo(files.front()).absolutePath());
        addInputs(files);
    });
    connect(addFolder, &QPushButton::clicked, this, [this]() {
        const QString folder =
            QFileDialog::getExistingDirectory(this, tr("Folder to run on the cluster"), m_settings.lastOpenFolder());
        if (folder.isEmpty()) return;
        m_settings.setLastOpenFolder(folder);
        addInputs({folder});
    });
    connect(remove, &QPushButton::clicked, this, [this]() {
        qDeleteAll(m_inputs->selectedItems());
        valuesChanged();
    });

    auto* partsBox = new QGroupBox(tr("Parts"), this);
    auto* form = new QFormLayout(partsBox);
    m_parts = new QSpinBox(partsBox);
    m_parts->setObjectName(QStringLiteral("clusterParts"));
    m_parts->setRange(1, 10000);
    m_parts->setValue(saved.parts);
    m_parts->setToolTip(tr("The inputs are split into this many parts, one Slurm array task each (run --shard I/N)."));
    form->addRow(tr("&Parts:"), m_parts);
    m_partition = new QLineEdit(saved.partition, partsBox);
    m_partition->setObjectName(QStringLiteral("clusterPartition"));
    m_partition->setPlaceholderText(tr("The cluster's default"));
    form->addRow(tr("P&artition:"), m_partition);
    m_time = new QLineEdit(saved.timeLimit, partsBox);
    m_time->setObjectName(QStringLiteral("clusterTime"));
    m_time->setPlaceholderText(tr("The partition's default (e.g. 2:00:00)"));
    m_time->setToolTip(tr("Time limit of each part, in Slurm's format: minutes, h:mm:ss or days-hh:mm:ss."));
    form->addRow(tr("&Time limit per part:"), m_time);
    m_memory = new QLineEdit(saved.memory, partsBox);
    m_memory->setObjectName(QStringLiteral("clusterMemory"));
    m_memory->setPlaceholderText(tr("The partition's default (e.g. 16G)"));
    form->addRow(tr("&Memory per part:"), m_memory);
    m_cpus = new QSpinBox(partsBox);
    m_cpus->setObjectName(QStringLiteral("clusterCpus"));
    m_cpus->setRange(0, 1024);
    m_cpus->setSpecialValueText(tr("The partition's default"));
    m_cpus->setValue(saved.cpusPerTask);
    m_cpus->setToolTip(tr("Each part uses as many threads as the CPUs Slurm gives it."));
    form->addRow(tr("&CPUs per part:"), m_cpus);
    m_gpus = new QSpinBox(partsBox);
    m_gpus->setObjectName(QStringLiteral("clusterGpus"));
    m_gpus->setRange(0, 64);
    m_gpus->setSpecialValueText(tr("None"));
    m_gpus->setValue(saved.gpusPerTask);
    m_gpus->setToolTip(tr("GPUs per part (--gres=gpu:N)."));
    form->addRow(tr("&GPUs per part:"), m_gpus);

    auto* whereBox = new QGroupBox(tr("Folders"), this);
    auto* whereForm = new QFormLayout(whereBox);
    auto* folderRow = new QHBoxLayout();
    m_outputFolder = new QLineEdit(saved.outputFolder, whereBox);
    m_outputFolder->setObjectName(QStringLiteral("clusterOutputFolder"));
    m_outputFolder->setPlaceholderText(QDir::toNativeSeparators(defaultOutputFolder()));
    m_outputFolder->setToolTip(
        tr("Each submission gets a folder \"slurm-<date>-<time>\" in here with its scripts, "
           "logs, parts and merged results. Every node must see it."));
    auto* browse = new QPushButton(tr("&Browse…"), whereBox);
    browse->setObjectName(QStringLiteral("clusterOutputBrowse"));
    folderRow->addWidget(m_outputFolder, 1);
    folderRow->addWidget(browse);
    auto* folderLabel = new QLabel(tr("&Output folder:"), whereBox);
    folderLabel->setBuddy(m_outputFolder);
    whereForm->addRow(folderLabel, folderRow);
    connect(browse, &QPushButton::clicked, this, [this]() {
        const QString start = m_outputFolder->text().trimmed().isEmpty() ? QDir::homePath() : m_outputFolder->text();
        const QString chosen = QFileDialog::getExistingDirectory(this, tr("Output folder for submissions"), start);
        if (!chosen.isEmpty()) m_outputFolder->setText(QDir::toNativeSeparators(chosen));
    });
    m_cliPath = new QLineEdit(saved.cliPath, whereBox);
    m_cliPath->setObjectName(QStringLiteral("clusterCliPath"));
    m_cliPath->setPlaceholderText(QDir::toNativeSeparators(defaultCliPath()));
    m_cliPath->setToolTip(tr("The benchtop-cli every node runs, as the nodes see it."));
    whereForm->addRow(tr("benchtop-cli on the &nodes:"), m_cliPath);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("clusterSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* note = new QLabel(tr("Submits with this machine's sbatch: run Benchtop on the cluster's login node (there is "
                               "no SSH login host). Elsewhere, run <tt>benchtop-cli slurm submit</tt> on the login "
                               "node. The row in the job list follows the parts and the merge."),
                            this);
    note->setWordWrap(true);
    note->setStyleSheet(theme::mutedLabelStyle());

    m_scripts = new QTabWidget(this);
    m_scripts->setObjectName(QStringLiteral("clusterScripts"));
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_arrayScript = new QPlainTextEdit(m_scripts);
    m_mergeScript = new QPlainTextEdit(m_scripts);
    for (QPlainTextEdit* view : {m_arrayScript, m_mergeScript}) {
        view->setReadOnly(true);
        view->setFont(fixed);
        view->setLineWrapMode(QPlainTextEdit::NoWrap);
        view->setMinimumHeight(fontMetrics().height() * 10);
    }
    m_scripts->addTab(m_arrayScript, QStringLiteral("array.sbatch"));
    m_scripts->addTab(m_mergeScript, QStringLiteral("merge.sbatch"));
    m_scripts->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Submit"));
    m_showScripts = m_buttons->addButton(tr("Show Scr&ipts"), QDialogButtonBox::ActionRole);
    m_showScripts->setObjectName(QStringLiteral("clusterShowScripts"));
    m_showScripts->setCheckable(true);
    connect(m_showScripts, &QPushButton::toggled, this, &ClusterDialog::showScripts);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ClusterDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // Same label column in both forms.
    int labelWidth = 0;
    for (QFormLayout* f : {form, whereForm})
        for (int row = 0; row < f->rowCount(); ++row)
            if (QLayoutItem* item = f->itemAt(row, QFormLayout::LabelRole))
                if (item->widget()) labelWidth = std::max(labelWidth, item->widget()->sizeHint().width());
    for (QFormLayout* f : {form, whereForm})
        for (int row = 0; row < f->rowCount(); ++row)
            if (QLayoutItem* item = f->itemAt(row, QFormLayout::LabelRole))
                if (item->widget()) item->widget()->setMinimumWidth(labelWidth);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(inputsBox);
    layout->addWidget(partsBox);
    layout->addWidget(whereBox);
    layout->addWidget(m_summary);
    layout->addWidget(note);
    layout->addWidget(m_scripts, 1);
    layout->addWidget(m_buttons);

    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(400);
    connect(m_refresh, &QTimer::timeout, this, [this]() {
        if (!m_scripts->isHidden()) showScripts(true);
    });
    for (QSpinBox* spin : {m_parts, m_cpus, m_gpus})
        connect(spin, qOverload<int>(&QSpinBox::valueChanged), this, &ClusterDialog::valuesChanged);
    for (QLineEdit* edit : {m_partition, m_time, m_memory, m_outputFolder, m_cliPath})
        connect(edit, &QLineEdit::textChanged, this, &ClusterDialog::valuesChanged);
    updateSummary();
}

ClusterDialog::~ClusterDialog() {
    discardPrepared();
}

QString ClusterDialog::defaultOutputFolder() {
    return QDir::home().filePath(QStringLiteral("benchtop-slurm"));
}

QString ClusterDialog::defaultCliPath() {
    return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("benchtop-cli"));
}

void ClusterDialog::setInputs(const QStringList& paths) {
    m_inputs->clear();
    addInputs(paths);
}

void ClusterDialog::addInputs(const QStringList& paths) {
    const QStringList present = inputs();
    for (const QString& path : paths) {
        const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
        if (present.contains(clean)) continue;
        auto* item = new QListWidgetItem(QDir::toNativeSeparators(clean), m_inputs);
        item->setData(Qt::UserRole, clean);
        item->setToolTip(QDir::toNativeSeparators(clean));
    }
    valuesChanged();
}

QStringList ClusterDialog::inputs() const {
    QStringList paths;
    for (int row = 0; row < m_inputs->count(); ++row) paths << m_inputs->item(row)->data(Qt::UserRole).toString();
    return paths;
}

cluster::SlurmRequest ClusterDialog::request() const {
    cluster::SlurmRequest r;
    for (const QString& input : inputs()) r.inputs.push_back(input.toStdString());
    if (r.inputs.empty()) throw Error("Inputs", tr("add the files to run (Add Files…).").toStdString());
    // As a local job of these files: the task recognised here, with that task's model and options.
    engine::PlanOptions planning;
    planning.split = true;
    const engine::InputPlan plan = engine::planInputs(r.inputs, m_registry, planning);
    std::set<std::string> kinds;
    const engine::TaskKind* kind = nullptr;
    for (const engine::PlannedJob& job : plan.jobs)
        if (job.kind) {
            kind = job.kind;
            kinds.insert(job.kind->name);
        }
    if (kinds.size() > 1) {
        QStringList names;
        for (const std::string& name : kinds) names << qs(name);
        throw Error("Inputs", tr("the files belong to several tasks (%1); submit the files of each task on their own.")
                                  .arg(names.join(QStringLiteral(", ")))
                                  .toStdString());
    }
    if (kind) {
        const QString taskId = qs(kind->id);
        r.task = kind->id;
        r.model = m_settings.modelFor(taskId).toStdString();
        const QMap<QString, QString> options = m_settings.optionsFor(taskId);
        for (auto it = options.cbegin(); it != options.cend(); ++it)
            r.sets.push_back((it.key() + QLatin1Char('=') + it.value()).toStdString());
    }
    r.device = m_device.device;
    r.precision = m_device.precision;
    r.shards = m_parts->value();
    r.partition = m_partition->text().trimmed().toStdString();
    r.time = m_time->text().trimmed().toStdString();
    r.mem = m_memory->text().trimmed().toStdString();
    r.cpusPerTask = m_cpus->value();
    r.gpusPerTask = m_gpus->value();
    const QString folder = m_outputFolder->text().trimmed();
    r.outputDir = QDir::cleanPath(folder.isEmpty() ? defaultOutputFolder() : folder).toStdString();
    r.cliPath = QDir::fromNativeSeparators(m_cliPath->text().trimmed()).toStdString();
    return r;
}

ClusterController::Origin ClusterDialog::origin() const {
    const cluster::SlurmRequest r = request();
    ClusterController::Origin o;
    o.inputs = r.inputs;
    o.task = r.task;
    if (const engine::TaskKind* kind = m_registry.find(r.task)) o.taskName = kind->name;
    o.model = r.model;
    o.device = r.device;
    o.partition = r.partition;
    return o;
}

bool ClusterDialog::prepare(QString* error) {
    try {
        const cluster::SlurmRequest r = request();
        const QString values = fingerprint(r);
        if (m_prepared && values == m_preparedFor) return true;
        discardPrepared();
        m_prepared = cluster::prepareSubmission(r, m_registry);
        m_preparedFor = values;
        m_arrayScript->setPlainText(qs(m_prepared->arrayScript));
        m_mergeScript->setPlainText(tr("# submitted with --dependency=afterok:<array job>\n") +
                                    qs(m_prepared->mergeScript));
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

std::optional<cluster::Submission> ClusterDialog::takeSubmission() {
    std::optional<cluster::Submission> taken;
    taken.swap(m_prepared);
    m_preparedFor.clear();
    return taken;
}

void ClusterDialog::discardPrepared() {
    if (!m_prepared) return;
    // Only the folder prepareSubmission made just now: scripts, submission.json and an empty logs/.
    QDir(qs(m_prepared->dir)).removeRecursively();
    m_prepared.reset();
    m_preparedFor.clear();
}

void ClusterDialog::valuesChanged() {
    discardPrepared();
    updateSummary();
    if (!m_scripts->isHidden()) m_refresh->start();
}

void ClusterDialog::showScripts(bool shown) {
    if (shown) {
        QString error;
        if (!prepare(&error)) {
            m_arrayScript->setPlainText(tr("# The scripts cannot be written:\n# %1").arg(error));
            m_mergeScript->clear();
        }
    }
    if (m_showScripts->isChecked() != shown) {
        const QSignalBlocker block(m_showScripts);
        m_showScripts->setChecked(shown);
    }
    m_showScripts->setText(shown ? tr("Hide Scr&ipts") : tr("Show Scr&ipts"));
    if (m_scripts->isHidden() == shown) {
        m_scripts->setVisible(shown);
        const int extra = m_scripts->sizeHint().height() + layout()->spacing();
        resize(width(), std::max(minimumSizeHint().height(), height() + (shown ? extra : -extra)));
    }
}

void ClusterDialog::updateSummary() {
    try {
        const cluster::SlurmRequest r = request();
        const engine::TaskKind* kind = m_registry.find(r.task);
        QStringList what;
        what << (kind ? qs(kind->name) : tr("the task each file is recognised as"));
        what << tr("model %1").arg(r.model.empty() ? tr("(the task's default)") : QFileInfo(qs(r.model)).fileName());
        what << tr("device %1 · %2")
                    .arg(qs(r.device.empty() ? "auto" : r.device), qs(r.precision.empty() ? "auto" : r.precision));
        if (!r.sets.empty()) {
            QStringList sets;
            for (const std::string& set : r.sets) sets << qs(set);
            what << tr("options %1").arg(sets.join(QStringLiteral(", ")));
        }
        m_summary->setText(tr("Each part runs %1 (as a local job would, from the settings); a merge job joins the "
                              "parts when all of them succeed.")
                               .arg(what.join(QStringLiteral(" · "))));
    } catch (const std::exception& e) {
        m_summary->setText(QString::fromStdString(e.what()));
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_inputs->count() > 0);
}

void ClusterDialog::accept() {
    ClusterSettings c;
    c.parts = m_parts->value();
    c.partition = m_partition->text();
    c.timeLimit = m_time->text();
    c.memory = m_memory->text();
    c.cpusPerTask = m_cpus->value();
    c.gpusPerTask = m_gpus->value();
    c.outputFolder = m_outputFolder->text();
    c.cliPath = m_cliPath->text();
    m_settings.setCluster(c);
    QString error;
    if (!prepare(&error)) {
        showError(error);
        return;
    }
    QDialog::accept();
}

void ClusterDialog::showError(const QString& message) {
    // Not exec(): the dialog and the window go on (and tests go on) while the box is shown.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Run on Cluster"), tr("The submission cannot be made."),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("clusterError"));
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

}  // namespace benchtop::ui
