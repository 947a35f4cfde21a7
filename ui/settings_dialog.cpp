#include "ui/settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QListWidget>
#include <QMessageBox>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include <exception>

#include "core/device/machine_report.h"
#include "core/engine/task.h"
#include "ui/settings.h"
#include "ui/workload_options_page.h"

namespace benchtop::ui {

namespace {

QString deviceEntryText(const device::DeviceInfo& info) {
    const QString id = QString::fromStdString(info.id);
    QString text = info.name.empty() ? id : QStringLiteral("%1 — %2").arg(id, QString::fromStdString(info.name));
    if (!info.usable) text += QObject::tr(" (unavailable)");
    return text;
}

void setItemEnabled(QComboBox* combo, int row, bool enabled, const QString& tooltip) {
    if (auto* model = qobject_cast<QStandardItemModel*>(combo->model())) {
        if (QStandardItem* item = model->item(row)) {
            item->setEnabled(enabled);
            item->setToolTip(tooltip);
        }
    }
}

}  // namespace

SettingsDialog::SettingsDialog(Settings& settings, std::vector<device::DeviceInfo> devices,
                               const engine::TaskRegistry* tasks, QWidget* parent)
    : QDialog(parent), m_settings(settings), m_devices(std::move(devices)) {
    setWindowTitle(tr("Benchtop Settings"));
    setMinimumWidth(560);
    if (m_devices.empty()) {
        try {
            m_devices = device::discoverDevices();
        } catch (const std::exception&) {
            // Discovery never should throw; if it does the dialog still offers "auto" and "cpu".
        }
    }

    auto* compute = new QGroupBox(tr("Compute"), this);
    auto* form = new QFormLayout(compute);

    m_device = new QComboBox(compute);
    m_device->addItem(tr("Automatic (best available)"), QStringLiteral("auto"));
    m_device->setItemData(0, tr("Use the fastest usable device: CUDA, then MPS, then the CPU."), Qt::ToolTipRole);
    bool haveCpu = false;
    for (const device::DeviceInfo& info : m_devices) {
        haveCpu = haveCpu || info.kind == device::DeviceKind::Cpu;
        m_device->addItem(deviceEntryText(info), QString::fromStdString(info.id));
        setItemEnabled(m_device, m_device->count() - 1, info.usable, QString::fromStdString(info.reason));
    }
    if (!haveCpu) m_device->addItem(QStringLiteral("cpu"), QStringLiteral("cpu"));
    form->addRow(tr("&Device:"), m_device);

    m_precision = new QComboBox(compute);
    m_precision->addItem(tr("Automatic"), QStringLiteral("auto"));
    m_precision->addItem(tr("fp32 (full precision)"), QStringLiteral("fp32"));
    m_precision->addItem(tr("fp16 (half)"), QStringLiteral("fp16"));
    m_precision->addItem(tr("bf16 (bfloat16)"), QStringLiteral("bf16"));
    form->addRow(tr("&Precision:"), m_precision);

    m_threads = new QSpinBox(compute);
    const device::CpuSummary& cpu = device::cpuSummary();
    m_threads->setRange(0, std::max(1, cpu.logicalCores) * 2);
    m_threads->setSpecialValueText(tr("Automatic (%1 physical cores)").arg(cpu.physicalCores));
    m_threads->setToolTip(tr("Intra-op threads for CPU work. Automatic uses one per physical core."));
    form->addRow(tr("CPU &threads:"), m_threads);

    m_resolution = new QLabel(compute);
    m_resolution->setWordWrap(true);
    m_resolution->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Resolves to:"), m_resolution);

    auto* output = new QGroupBox(tr("Results"), this);
    auto* outputLayout = new QVBoxLayout(output);
    m_nextToInput = new QCheckBox(
        tr("Save results in a \"%1\" folder next to each input file").arg(QLatin1String(Settings::kResultsFolderName)),
        output);
    outputLayout->addWidget(m_nextToInput);
    auto* folderRow = new QHBoxLayout();
    m_outputFolder = new QLineEdit(output);
    m_outputFolder->setPlaceholderText(tr("Folder for all results"));
    m_browse = new QPushButton(tr("Browse…"), output);
    folderRow->addWidget(m_outputFolder, 1);
    folderRow->addWidget(m_browse);
    outputLayout->addLayout(folderRow);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_tabs = new QTabWidget(this);
    auto* general = new QWidget(m_tabs);
    auto* generalLayout = new QVBoxLayout(general);
    compute->setParent(general);
    output->setParent(general);
    generalLayout->addWidget(compute);
    generalLayout->addWidget(output);
    generalLayout->addStretch(1);
    m_tabs->addTab(general, tr("&General"));
    if (tasks && !tasks->kinds().empty()) {
        // Settings › Workloads: a list of the tasks and, beside it, the selected task's generated page.
        auto* workloads = new QWidget(m_tabs);
        workloads->setObjectName(QStringLiteral("workloads"));
        auto* row = new QHBoxLayout(workloads);
        m_taskList = new QListWidget(workloads);
        m_taskList->setObjectName(QStringLiteral("workloadList"));
        m_taskList->setAccessibleName(tr("Workloads"));
        auto* stack = new QStackedWidget(workloads);
        for (const engine::TaskKind& kind : tasks->kinds()) {
            const QString id = QString::fromStdString(kind.id);
            auto* page = new WorkloadOptionsPage(kind, m_settings.optionsFor(id), m_settings.modelFor(id), stack);
            auto* scroll = new QScrollArea(stack);
            scroll->setWidget(page);
            scroll->setWidgetResizable(true);
            scroll->setFrameShape(QFrame::NoFrame);
            stack->addWidget(scroll);
            m_pages.push_back(page);
            m_taskList->addItem(QString::fromStdString(kind.name));
        }
        connect(m_taskList, &QListWidget::currentRowChanged, stack, &QStackedWidget::setCurrentIndex);
        m_taskList->setCurrentRow(0);
        m_taskList->setMaximumWidth(m_taskList->sizeHintForColumn(0) + 24);
        row->addWidget(m_taskList);
        row->addWidget(stack, 1);
        m_tabs->addTab(workloads, tr("&Workloads"));
    }
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);

    // Current values.
    const int deviceRow = m_device->findData(m_settings.device());
    m_device->setCurrentIndex(deviceRow >= 0 ? deviceRow : 0);
    const int precisionRow = m_precision->findData(m_settings.precision());
    m_precision->setCurrentIndex(precisionRow >= 0 ? precisionRow : 0);
    m_threads->setValue(m_settings.threads());
    const QString folder = m_settings.outputFolder();
    m_nextToInput->setChecked(folder.isEmpty());
    m_outputFolder->setText(folder);
    m_outputFolder->setEnabled(!folder.isEmpty());
    m_browse->setEnabled(!folder.isEmpty());

    connect(m_nextToInput, &QCheckBox::toggled, this, [this](bool nextToInput) {
        m_outputFolder->setEnabled(!nextToInput);
        m_browse->setEnabled(!nextToInput);
    });
    connect(m_browse, &QPushButton::clicked, this, [this]() {
        const QString chosen =
            QFileDialog::getExistingDirectory(this, tr("Folder for results"), m_outputFolder->text());
        if (!chosen.isEmpty()) m_outputFolder->setText(chosen);
    });
    connect(m_device, qOverload<int>(&QComboBox::currentIndexChanged), this, [this]() {
        updatePrecisionChoices();
        updateResolution();
    });
    connect(m_precision, qOverload<int>(&QComboBox::currentIndexChanged), this, [this]() { updateResolution(); });
    connect(m_threads, qOverload<int>(&QSpinBox::valueChanged), this, [this]() { updateResolution(); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updatePrecisionChoices();
    updateResolution();
}

const device::DeviceInfo* SettingsDialog::selectedDevice() const {
    const std::string id = m_device->currentData().toString().toStdString();
    for (const device::DeviceInfo& info : m_devices)
        if (info.id == id) return &info;
    return nullptr;
}

void SettingsDialog::updatePrecisionChoices() {
    const device::DeviceInfo* info = selectedDevice();
    for (int row = 1; row < m_precision->count(); ++row) {
        bool ok = true;
        std::string reason;
        if (info) {
            try {
                ok = device::supportsPrecision(
                    *info, device::parsePrecision(m_precision->itemData(row).toString().toStdString()), &reason);
            } catch (const std::exception& e) {
                ok = false;
                reason = e.what();
            }
        }
        setItemEnabled(m_precision, row, ok, QString::fromStdString(reason));
    }
    if (auto* model = qobject_cast<QStandardItemModel*>(m_precision->model())) {
        const QStandardItem* current = model->item(m_precision->currentIndex());
        if (current && !current->isEnabled()) m_precision->setCurrentIndex(0);
    }
}

void SettingsDialog::updateResolution() {
    device::DeviceRequest request;
    request.device = m_device->currentData().toString().toStdString();
    request.precision = m_precision->currentData().toString().toStdString();
    request.threads = m_threads->value();
    try {
        const device::DeviceChoice choice =
            m_devices.empty() ? device::resolve(request) : device::resolve(request, m_devices);
        m_resolution->setText(QStringLiteral("<b>%1</b><br>%2<br>%3")
                                  .arg(QString::fromStdString(choice.label()).toHtmlEscaped(),
                                       QString::fromStdString(choice.deviceReason).toHtmlEscaped(),
                                       QString::fromStdString(choice.precisionReason).toHtmlEscaped()));
        m_resolution->setStyleSheet(QString());
    } catch (const std::exception& e) {
        m_resolution->setText(QString::fromStdString(e.what()).toHtmlEscaped());
        m_resolution->setStyleSheet(QStringLiteral("QLabel { color: #b35c00; }"));
    }
}

WorkloadOptionsPage* SettingsDialog::workloadPage(const QString& taskId) const {
    for (WorkloadOptionsPage* page : m_pages)
        if (page->taskId() == taskId) return page;
    return nullptr;
}

bool SettingsDialog::apply(QString* error) {
    for (WorkloadOptionsPage* page : m_pages) {
        const QString why = page->validationError();
        if (why.isEmpty()) continue;
        if (error) *error = why;
        return false;
    }
    for (WorkloadOptionsPage* page : m_pages) {
        m_settings.setOptionsFor(page->taskId(), page->values(m_settings.optionsFor(page->taskId())));
        if (page->findChild<QLineEdit*>(QStringLiteral("model"))) m_settings.setModelFor(page->taskId(), page->model());
    }
    m_settings.setDevice(m_device->currentData().toString());
    m_settings.setPrecision(m_precision->currentData().toString());
    m_settings.setThreads(m_threads->value());
    m_settings.setOutputFolder(m_nextToInput->isChecked() ? QString() : m_outputFolder->text().trimmed());
    m_settings.sync();
    return true;
}

void SettingsDialog::accept() {
    QString error;
    if (!apply(&error)) {
        // Show the page with the problem; the dialog stays open.
        for (int i = 0; i < int(m_pages.size()); ++i)
            if (!m_pages[size_t(i)]->validationError().isEmpty()) {
                m_tabs->setCurrentIndex(1);
                m_taskList->setCurrentRow(i);
                break;
            }
        QMessageBox::warning(this, tr("Benchtop Settings"), error);
        return;
    }
    QDialog::accept();
}

}  // namespace benchtop::ui
