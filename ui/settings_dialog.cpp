#include "ui/settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
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

#include <algorithm>
#include <exception>

#include "core/device/machine_report.h"
#include "core/engine/task.h"
#include "core/hub/hf_access.h"
#include "ui/hf_token_store.h"
#include "ui/server_controller.h"
#include "ui/settings.h"
#include "ui/workload_options_page.h"
#include "ui/theme.h"
#include "ui/workload_text.h"

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

    auto* application = new QGroupBox(tr("Application"), this);
    auto* appForm = new QFormLayout(application);
    m_language = new QComboBox(application);
    m_language->setObjectName(QStringLiteral("language"));
    m_language->addItem(tr("System language"), QStringLiteral("system"));
    // Each language in its own name, so that it can be found whatever language the window is in now.
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
    m_language->addItem(QStringLiteral("繁體中文"), QStringLiteral("zh_TW"));
    m_language->setToolTip(tr("Takes effect the next time Benchtop starts"));
    appForm->addRow(tr("&Language:"), m_language);
    m_keepJobList = new QCheckBox(tr("&Keep the job list when Benchtop restarts"), application);
    m_keepJobList->setObjectName(QStringLiteral("keepJobList"));
    m_keepJobList->setToolTip(tr("Finished jobs are shown again at the next start, read from their result folders"));
    appForm->addRow(m_keepJobList);
    m_notify =
        new QCheckBox(tr("&Notify when a job that ran longer than %n seconds finishes", nullptr, 5), application);
    m_notify->setObjectName(QStringLiteral("notifyWhenDone"));
    appForm->addRow(m_notify);
    m_csvBom = new QCheckBox(tr("Start exported CSV files with a UTF-8 &byte order mark (for Excel)"), application);
    m_csvBom->setObjectName(QStringLiteral("csvBom"));
    m_csvBom->setToolTip(
        tr("Excel reads CSV files without it in the system's legacy code page, which garbles "
           "non-ASCII sample names; other programs ignore the mark"));
    appForm->addRow(m_csvBom);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_tabs = new QTabWidget(this);
    auto* general = new QWidget(m_tabs);
    auto* generalLayout = new QVBoxLayout(general);
    compute->setParent(general);
    output->setParent(general);
    application->setParent(general);
    generalLayout->addWidget(compute);
    generalLayout->addWidget(output);
    generalLayout->addWidget(application);
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
            m_taskList->addItem(workloadText(kind.name));
        }
        connect(m_taskList, &QListWidget::currentRowChanged, stack, &QStackedWidget::setCurrentIndex);
        m_taskList->setCurrentRow(0);
        m_taskList->setMaximumWidth(m_taskList->sizeHintForColumn(0) + 24);
        row->addWidget(m_taskList);
        row->addWidget(stack, 1);
        m_tabs->addTab(workloads, tr("&Workloads"));
    }
    m_modelsPage = createModelsPage();
    m_tabs->addTab(m_modelsPage, tr("&Models"));
    m_serverPage = createServerPage();
    m_tabs->addTab(m_serverPage, tr("&Server"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);

    // Current values.
    const int deviceRow = m_device->findData(m_settings.device());
    m_device->setCurrentIndex(deviceRow >= 0 ? deviceRow : 0);
    const int precisionRow = m_precision->findData(m_settings.precision());
    m_precision->setCurrentIndex(precisionRow >= 0 ? precisionRow : 0);
    m_threads->setValue(m_settings.threads());
    m_language->setCurrentIndex(std::max(0, m_language->findData(m_settings.language())));
    m_keepJobList->setChecked(m_settings.keepJobList());
    m_notify->setChecked(m_settings.notifyWhenDone());
    m_csvBom->setChecked(m_settings.csvByteOrderMark());
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

QWidget* SettingsDialog::createModelsPage() {
    auto* page = new QWidget(m_tabs);
    page->setObjectName(QStringLiteral("modelsPage"));
    auto* pageLayout = new QVBoxLayout(page);
    auto* hub = new QGroupBox(tr("Hugging Face"), page);
    auto* form = new QFormLayout(hub);

    m_hfEndpoint = new QComboBox(hub);
    m_hfEndpoint->setObjectName(QStringLiteral("hfEndpoint"));
    m_hfEndpoint->setEditable(true);
    m_hfEndpoint->setInsertPolicy(QComboBox::NoInsert);
    m_hfEndpoint->addItem(tr("Default (HF_ENDPOINT or huggingface.co)"), QString());
    m_hfEndpoint->addItem(QString::fromLatin1(hub::kHfDefaultEndpoint), QString::fromLatin1(hub::kHfDefaultEndpoint));
    m_hfEndpoint->addItem(tr("%1 (mirror)").arg(QLatin1String(hub::kHfMirrorEndpoint)),
                          QString::fromLatin1(hub::kHfMirrorEndpoint));
    m_hfEndpoint->setToolTip(tr("Where models are downloaded from; type the address of another mirror if you use one"));
    form->addRow(tr("&Endpoint:"), m_hfEndpoint);

    m_hfToken = new QLineEdit(hub);
    m_hfToken->setObjectName(QStringLiteral("hfToken"));
    m_hfToken->setEchoMode(QLineEdit::Password);
    m_hfToken->setPlaceholderText(tr("hf_… (for gated and private models)"));
    m_hfToken->setClearButtonEnabled(true);
    m_hfTokenShown = HfTokenStore::load();
    m_hfToken->setText(m_hfTokenShown);
    form->addRow(tr("Access &token:"), m_hfToken);
    m_hfTokenNote = new QLabel(hub);
    m_hfTokenNote->setWordWrap(true);
    m_hfTokenNote->setStyleSheet(theme::mutedLabelStyle());
    m_hfTokenNote->setText(
        HfTokenStore::keychainBuiltIn()
            ? tr("Kept in the system keychain; where there is none, in %1, the file huggingface_hub reads. HF_TOKEN, "
                 "when set, is used instead of that file.")
                  .arg(QDir::toNativeSeparators(QString::fromStdString(hub::hfTokenPath())))
            : tr("Kept in %1, the file huggingface_hub reads. HF_TOKEN, when set, is used instead.")
                  .arg(QDir::toNativeSeparators(QString::fromStdString(hub::hfTokenPath()))));
    form->addRow(QString(), m_hfTokenNote);

    m_hfOffline = new QCheckBox(tr("&Offline: never contact the hub, use only models already here"), hub);
    m_hfOffline->setObjectName(QStringLiteral("hfOffline"));
    m_hfOffline->setToolTip(
        tr("As HF_HUB_OFFLINE=1; downloads fail at once with a message instead of waiting for "
           "the network"));
    form->addRow(m_hfOffline);
    pageLayout->addWidget(hub);
    pageLayout->addStretch(1);

    const QString endpoint = m_settings.hfEndpoint();
    const int row = m_hfEndpoint->findData(endpoint);
    if (row >= 0)
        m_hfEndpoint->setCurrentIndex(row);
    else
        m_hfEndpoint->setEditText(endpoint);
    m_hfOffline->setChecked(m_settings.hfOffline());
    return page;
}

QWidget* SettingsDialog::createServerPage() {
    auto* page = new QWidget(m_tabs);
    page->setObjectName(QStringLiteral("serverPage"));
    auto* pageLayout = new QVBoxLayout(page);

    auto* listen = new QGroupBox(tr("Local server"), page);
    auto* form = new QFormLayout(listen);
    m_serverHost = new QLineEdit(m_settings.serverHost(), listen);
    m_serverHost->setObjectName(QStringLiteral("serverHost"));
    m_serverHost->setToolTip(tr("127.0.0.1 serves this machine only; any other address needs an API key file."));
    form->addRow(tr("&Address:"), m_serverHost);
    m_serverPort = new QSpinBox(listen);
    m_serverPort->setObjectName(QStringLiteral("serverPort"));
    m_serverPort->setRange(0, 65535);
    m_serverPort->setSpecialValueText(tr("Any free port"));
    m_serverPort->setValue(m_settings.serverPort());
    form->addRow(tr("&Port:"), m_serverPort);
    auto* keyRow = new QHBoxLayout();
    m_serverApiKey = new QLineEdit(m_settings.serverApiKeyFile(), listen);
    m_serverApiKey->setObjectName(QStringLiteral("serverApiKeyFile"));
    m_serverApiKey->setPlaceholderText(tr("None (loopback addresses only)"));
    m_serverApiKey->setToolTip(tr("A file whose first line is the key clients send as \"Authorization: Bearer KEY\"."));
    auto* browseKey = new QPushButton(tr("Browse…"), listen);
    browseKey->setObjectName(QStringLiteral("serverApiKeyBrowse"));
    keyRow->addWidget(m_serverApiKey, 1);
    keyRow->addWidget(browseKey);
    auto* keyLabel = new QLabel(tr("API &key file:"), listen);
    keyLabel->setBuddy(m_serverApiKey);
    form->addRow(keyLabel, keyRow);
    connect(browseKey, &QPushButton::clicked, this, [this]() {
        const QString chosen = QFileDialog::getOpenFileName(this, tr("API key file"), m_serverApiKey->text());
        if (!chosen.isEmpty()) m_serverApiKey->setText(chosen);
    });

    auto* models = new QGroupBox(tr("Models kept loaded"), page);
    auto* modelForm = new QFormLayout(models);
    m_serverTextModel = new QLineEdit(m_settings.serverModel(QStringLiteral("text")), models);
    m_serverTextModel->setObjectName(QStringLiteral("serverTextModel"));
    m_serverTextModel->setPlaceholderText(tr("None (no /v1/embeddings)"));
    m_serverTextModel->setToolTip(tr("A catalog id, Hugging Face repo id or folder of a BERT-family encoder."));
    modelForm->addRow(tr("&Text model:"), m_serverTextModel);
    m_serverSpeechModel = new QLineEdit(m_settings.serverModel(QStringLiteral("speech")), models);
    m_serverSpeechModel->setObjectName(QStringLiteral("serverSpeechModel"));
    m_serverSpeechModel->setPlaceholderText(tr("None (no /v1/audio/transcriptions)"));
    m_serverSpeechModel->setToolTip(tr("A catalog id, Hugging Face repo id or folder of a Whisper model."));
    modelForm->addRow(tr("S&peech model:"), m_serverSpeechModel);
    m_serverModelsShown = {m_serverTextModel->text(), m_serverSpeechModel->text()};

    auto* requests = new QGroupBox(tr("Requests"), page);
    auto* requestForm = new QFormLayout(requests);
    m_serverMaxQueue = new QSpinBox(requests);
    m_serverMaxQueue->setObjectName(QStringLiteral("serverMaxQueue"));
    m_serverMaxQueue->setRange(1, 100000);
    m_serverMaxQueue->setValue(m_settings.serverMaxQueue());
    m_serverMaxQueue->setToolTip(tr("Requests admitted at once (queued or running); more are answered 429."));
    requestForm->addRow(tr("&Max queue:"), m_serverMaxQueue);
    m_serverBatching =
        new QCheckBox(tr("&Batch requests together (requests for one model share device batches)"), requests);
    m_serverBatching->setObjectName(QStringLiteral("serverBatching"));
    m_serverBatching->setChecked(m_settings.serverCrossBatching());
    requestForm->addRow(m_serverBatching);

    auto* note = new QLabel(tr("Server › Local Server starts it with the device and precision of the General "
                               "page.<br>Endpoints: POST /v1/embeddings · /v1/audio/transcriptions · "
                               "/v1/methylation/predict<br>GET /health · /v1/models · /metrics"),
                            page);
    note->setWordWrap(true);
    note->setStyleSheet(theme::mutedLabelStyle());

    // One label column across the three boxes, so the fields line up.
    int labelWidth = 0;
    for (QFormLayout* f : {form, modelForm, requestForm})
        for (int row = 0; row < f->rowCount(); ++row)
            if (QLayoutItem* item = f->itemAt(row, QFormLayout::LabelRole))
                if (item->widget()) labelWidth = std::max(labelWidth, item->widget()->sizeHint().width());
    for (QFormLayout* f : {form, modelForm, requestForm})
        for (int row = 0; row < f->rowCount(); ++row)
            if (QLayoutItem* item = f->itemAt(row, QFormLayout::LabelRole))
                if (item->widget()) item->widget()->setMinimumWidth(labelWidth);

    pageLayout->addWidget(listen);
    pageLayout->addWidget(models);
    pageLayout->addWidget(requests);
    pageLayout->addWidget(note);
    pageLayout->addStretch(1);
    return page;
}

QLineEdit* SettingsDialog::serverModelEdit(const QString& kind) const {
    if (kind == QLatin1String("text")) return m_serverTextModel;
    if (kind == QLatin1String("speech")) return m_serverSpeechModel;
    return nullptr;
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
        m_resolution->setStyleSheet(
            QStringLiteral("QLabel { color: %1; }")
                .arg(theme::css(theme::text(theme::Tone::Warning, palette().color(QPalette::Window)))));
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
    if (const QString why = ServerController::addressError(m_serverHost->text(), m_serverApiKey->text());
        !why.isEmpty()) {
        if (error) *error = why;
        return false;
    }
    // First what can fail, so that a refusal writes nothing.
    if (m_hfToken->text().trimmed() != m_hfTokenShown.trimmed()) {
        QString where, tokenError;
        if (!HfTokenStore::save(m_hfToken->text(), &where, &tokenError)) {
            if (error) *error = tr("The Hugging Face token could not be stored: %1").arg(tokenError);
            return false;
        }
        m_hfTokenShown = m_hfToken->text();
    }
    for (WorkloadOptionsPage* page : m_pages) {
        m_settings.setOptionsFor(page->taskId(), page->values(m_settings.optionsFor(page->taskId())));
        if (page->findChild<QLineEdit*>(QStringLiteral("model"))) m_settings.setModelFor(page->taskId(), page->model());
    }
    m_settings.setDevice(m_device->currentData().toString());
    m_settings.setPrecision(m_precision->currentData().toString());
    m_settings.setThreads(m_threads->value());
    // The endpoint: a preset's address, or what was typed.
    const int endpointRow = m_hfEndpoint->findText(m_hfEndpoint->currentText());
    m_settings.setHfEndpoint(endpointRow >= 0 ? m_hfEndpoint->itemData(endpointRow).toString()
                                              : m_hfEndpoint->currentText().trimmed());
    m_settings.setHfOffline(m_hfOffline->isChecked());
    m_settings.setLanguage(m_language->currentData().toString());
    m_settings.setKeepJobList(m_keepJobList->isChecked());
    m_settings.setNotifyWhenDone(m_notify->isChecked());
    m_settings.setCsvByteOrderMark(m_csvBom->isChecked());
    m_settings.setOutputFolder(m_nextToInput->isChecked() ? QString() : m_outputFolder->text().trimmed());
    m_settings.setServerHost(m_serverHost->text());
    m_settings.setServerPort(m_serverPort->value());
    m_settings.setServerApiKeyFile(m_serverApiKey->text());
    // Stored only when edited here, so an untouched field keeps following the model of new jobs.
    if (m_serverTextModel->text().trimmed() != m_serverModelsShown[0])
        m_settings.setServerModel(QStringLiteral("text"), m_serverTextModel->text());
    if (m_serverSpeechModel->text().trimmed() != m_serverModelsShown[1])
        m_settings.setServerModel(QStringLiteral("speech"), m_serverSpeechModel->text());
    m_settings.setServerMaxQueue(m_serverMaxQueue->value());
    m_settings.setServerCrossBatching(m_serverBatching->isChecked());
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
        if (!ServerController::addressError(m_serverHost->text(), m_serverApiKey->text()).isEmpty()) {
            m_tabs->setCurrentWidget(m_serverPage);
            m_serverApiKey->setFocus();
        }
        QMessageBox::warning(this, tr("Benchtop Settings"), error);
        return;
    }
    QDialog::accept();
}

}  // namespace benchtop::ui
