<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>QObject</name>
    <message>
        <source>%1 clock coefficient tables ship with Benchtop (%2).</source>
        <translation>Benchtop 附帶 %1 個時鐘係數表（%2）。</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Third-party data&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;第三方資料&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The clock coefficient tables are published coefficients redistributed by biolearn (github.com/bio-learn/biolearn) under the BSD-3-Clause licence below; the Horvath goldstandard2 reference table comes from methylclock (MIT, Copyright (c) 2019 Bioinformatic Research Group in Epidemiology). Usage: PhenoAge, Skin&amp;amp;Blood and DNAmTL need the owner&apos;s licence for commercial use; DunedinPACE is for research use only. See THIRD_PARTY_NOTICES.md.</source>
        <translation>時鐘係數表是由 biolearn（github.com/bio-learn/biolearn）依據下方 BSD-3-Clause 授權再分發的已發表係數；Horvath goldstandard2 參考表來自 methylclock（MIT，Copyright (c) 2019 Bioinformatic Research Group in Epidemiology）。使用條款：PhenoAge、Skin&amp;amp;Blood 和 DNAmTL 的商業用途需要權利人的許可；DunedinPACE 僅限研究用途。參見 THIRD_PARTY_NOTICES.md。</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Licence&lt;/b&gt;&lt;br&gt;Benchtop is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License, version 3 or any later version (GPL-3.0-or-later). It comes with ABSOLUTELY NO WARRANTY.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Linked components&lt;/b&gt;&lt;br&gt;Qt 6 (LGPL-3.0; Qt Charts GPL-3.0) · libtorch (BSD-3-Clause) · FFmpeg (LGPL-2.1-or-later) · libcurl (curl licence) · OpenSSL (Apache-2.0) · zlib (Zlib) · utf8proc (MIT) · nlohmann/json (MIT) · CLI11 (BSD-3-Clause). Models keep the licences their catalog entries record. Help › Licences and Notices shows the full texts.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;授權&lt;/b&gt;&lt;br&gt;Benchtop 是自由軟體：您可以依據 GNU 通用公共授權第 3 版或（您選擇的）任何更新版本（GPL-3.0-or-later）的條款再分發和/或修改它。它不提供任何擔保。&lt;/p&gt;&lt;p&gt;&lt;b&gt;連結的元件&lt;/b&gt;&lt;br&gt;Qt 6（LGPL-3.0；Qt Charts GPL-3.0）· libtorch（BSD-3-Clause）· FFmpeg（LGPL-2.1-or-later）· libcurl（curl 授權）· OpenSSL（Apache-2.0）· zlib（Zlib）· utf8proc（MIT）· nlohmann/json（MIT）· CLI11（BSD-3-Clause）。模型沿用其目錄條目記錄的授權。「說明 › 授權與聲明」顯示完整文字。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Benchtop %1&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Benchtop %1&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Local deep-learning inference for methylation clocks, text embeddings and speech recognition.&lt;/p&gt;</source>
        <translation>&lt;p&gt;用於甲基化時鐘、文字嵌入和語音識別的本機深度學習推理。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Qt %1 · libtorch %2 (%3)&lt;/p&gt;</source>
        <translation>&lt;p&gt;Qt %1 · libtorch %2（%3）&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;CPU: %1 (%2 cores / %3 threads)&lt;br&gt;Features: %4&lt;/p&gt;</source>
        <translation>&lt;p&gt;CPU：%1（%2 核 / %3 執行緒）&lt;br&gt;特性：%4&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Devices&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;裝置&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;</translation>
    </message>
    <message>
        <source>usable</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>not usable</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>About Benchtop</source>
        <translation>關於 Benchtop</translation>
    </message>
    <message>
        <source>&amp;Licences...</source>
        <translation>授權(&amp;L)...</translation>
    </message>
    <message>
        <source>Licences and Notices</source>
        <translation>授權與聲明</translation>
    </message>
    <message>
        <source>Benchtop (GPL-3.0-or-later)</source>
        <translation>Benchtop（GPL-3.0-or-later）</translation>
    </message>
    <message>
        <source>Third-party components and data</source>
        <translation>第三方元件和資料</translation>
    </message>
    <message>
        <source>the keychain did not answer</source>
        <translation>鑰匙串沒有響應</translation>
    </message>
    <message>
        <source>the system keychain</source>
        <translation>系統鑰匙串</translation>
    </message>
    <message>
        <source>%1 (the keychain: %2)</source>
        <translation>%1（鑰匙串：%2）</translation>
    </message>
    <message>
        <source>(no input)</source>
        <translation>（無輸入）</translation>
    </message>
    <message>
        <source> (+%1 more)</source>
        <translation> （另有 %1 個）</translation>
    </message>
    <message>
        <source>Research use only: not for clinical, diagnostic or commercial use.</source>
        <translation>僅限研究用途：不得用於臨床、診斷或商業用途。</translation>
    </message>
    <message>
        <source>Commercial use needs a licence from the rights holder.</source>
        <translation>商業用途需要獲得權利人的許可。</translation>
    </message>
    <message>
        <source>The terms of use are unclear upstream; check them before relying on this model.</source>
        <translation>上游的使用條款不明確；依賴此模型前請先核實。</translation>
    </message>
    <message>
        <source>The upstream source publishes no licence, so reuse rights are unclear.</source>
        <translation>上游來源未公佈授權，因此再使用的權利不明確。</translation>
    </message>
    <message>
        <source>The licence (%1) does not allow commercial use.</source>
        <translation>該授權（%1）不允許商業用途。</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>時鐘</translation>
    </message>
    <message>
        <source>TorchScript</source>
        <translation>TorchScript</translation>
    </message>
    <message>
        <source>Whisper</source>
        <translation>Whisper</translation>
    </message>
    <message>
        <source>BERT</source>
        <translation>BERT</translation>
    </message>
    <message>
        <source>XLM-R</source>
        <translation>XLM-R</translation>
    </message>
    <message>
        <source>CpGPT</source>
        <translation>CpGPT</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Not installed</source>
        <translation>未安裝</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Starting download…</source>
        <translation>正在開始下載…</translation>
    </message>
    <message>
        <source>Downloading %1</source>
        <translation>正在下載 %1</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>剩餘 %1</translation>
    </message>
    <message>
        <source>Installed (bundled)</source>
        <translation>已安裝（內建）</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>已安裝</translation>
    </message>
    <message>
        <source>In HF cache (used in place)</source>
        <translation>在 HF 快取中（原地使用）</translation>
    </message>
    <message>
        <source>Incomplete: %1</source>
        <translation>不完整：%1</translation>
    </message>
    <message>
        <source>Partial (resumable) · %1 of %2</source>
        <translation>部分下載（可繼續）· %2 中的 %1</translation>
    </message>
    <message>
        <source>unknown size</source>
        <translation>大小未知</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失敗：%1</translation>
    </message>
    <message>
        <source> · used for new jobs</source>
        <translation> · 用於新工作</translation>
    </message>
    <message>
        <source>File %1 of %2: %3
%4 of %5</source>
        <translation>第 %1 個檔案，共 %2 個：%3
%5 中的 %4</translation>
    </message>
    <message>
        <source>&lt;i&gt;Research use only.&lt;/i&gt;</source>
        <translation>&lt;i&gt;僅限研究用途。&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Usage: %1</source>
        <translation>使用條款：%1</translation>
    </message>
    <message>
        <source> (unavailable)</source>
        <translation> （不可用）</translation>
    </message>
</context>
<context>
    <name>Workload</name>
    <message>
        <source>Epigenetic clocks</source>
        <translation>表觀遺傳時鐘</translation>
    </message>
    <message>
        <source>CSV, TSV, GEO series matrix (also .gz)</source>
        <translation>CSV、TSV、GEO 系列矩陣（也可為 .gz）</translation>
    </message>
    <message>
        <source>samples</source>
        <translation>樣本</translation>
    </message>
    <message>
        <source>Clocks</source>
        <translation>時鐘</translation>
    </message>
    <message>
        <source>all or a comma list of clock ids (e.g. horvath2013,phenoage2018)</source>
        <translation>all 或以逗號分隔的時鐘 ID 清單（例如 horvath2013,phenoage2018）</translation>
    </message>
    <message>
        <source>Sample sheet</source>
        <translation>樣本表</translation>
    </message>
    <message>
        <source>sample sheet CSV with sample name/id, age, sex</source>
        <translation>樣本表 CSV，含樣本名稱/ID、年齡、性別</translation>
    </message>
    <message>
        <source>Minimum coverage</source>
        <translation>最低覆蓋率</translation>
    </message>
    <message>
        <source>minimum fraction (0.8) or percentage (80%) of a clock&apos;s CpGs present in the matrix</source>
        <translation>矩陣中須包含的時鐘 CpG 最低比例（0.8）或百分比（80%）</translation>
    </message>
    <message>
        <source>M-values</source>
        <translation>M 值</translation>
    </message>
    <message>
        <source>the matrix holds M-values; convert them to beta values</source>
        <translation>矩陣中為 M 值；將其轉換為 beta 值</translation>
    </message>
    <message>
        <source>Missing CpGs</source>
        <translation>缺少的 CpG</translation>
    </message>
    <message>
        <source>how missing CpGs are filled: reference (clock reference values), cohort-mean, none</source>
        <translation>缺少 CpG 的填補方式：reference（時鐘參考值）、cohort-mean（群體平均）、none（不填補）</translation>
    </message>
    <message>
        <source>Zhang scaling</source>
        <translation>Zhang 標準化</translation>
    </message>
    <message>
        <source>what the Zhang 2019 clocks standardise over: all probes of the sample or the clock&apos;s probes</source>
        <translation>Zhang 2019 時鐘的標準化範圍：樣本的全部探針，或時鐘本身的探針</translation>
    </message>
    <message>
        <source>Predictor bundles</source>
        <translation>預測器套件</translation>
    </message>
    <message>
        <source>Excel-friendly CSV</source>
        <translation>適用於 Excel 的 CSV</translation>
    </message>
    <message>
        <source>start predictions.csv with a UTF-8 byte order mark, so Excel reads non-ASCII sample names correctly (the window sets it from Settings &gt; General)</source>
        <translation>在 predictions.csv 開頭寫入 UTF-8 位元組順序標記，讓 Excel 正確讀取非 ASCII 樣本名稱（視窗中由「設定 › 一般」決定）</translation>
    </message>
    <message>
        <source>Clock tables folder</source>
        <translation>時鐘係數表資料夾</translation>
    </message>
    <message>
        <source>read clock coefficient tables from this folder instead of the catalog</source>
        <translation>從此資料夾讀取時鐘係數表，而不是從目錄取得</translation>
    </message>
    <message>
        <source>Speech (Whisper)</source>
        <translation>語音（Whisper）</translation>
    </message>
    <message>
        <source>wav, flac, mp3, ogg, opus, m4a, aac; video: mp4, webm, mkv, mov</source>
        <translation>wav、flac、mp3、ogg、opus、m4a、aac；影片：mp4、webm、mkv、mov</translation>
    </message>
    <message>
        <source>audio s</source>
        <translation>音訊秒</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>語言</translation>
    </message>
    <message>
        <source>language code (en, zh, ...) or auto</source>
        <translation>語言代碼（en、zh 等）或 auto（自動）</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任務</translation>
    </message>
    <message>
        <source>transcribe, or translate into English</source>
        <translation>transcribe（轉錄），或 translate（翻譯成英文）</translation>
    </message>
    <message>
        <source>Word timestamps</source>
        <translation>逐字時間戳記</translation>
    </message>
    <message>
        <source>word-level timestamps</source>
        <translation>單字層級時間戳記</translation>
    </message>
    <message>
        <source>Beam size</source>
        <translation>束寬</translation>
    </message>
    <message>
        <source>beam search width (default greedy)</source>
        <translation>束搜尋寬度（預設為貪婪解碼）</translation>
    </message>
    <message>
        <source>Best of</source>
        <translation>候選數</translation>
    </message>
    <message>
        <source>candidates sampled at non-zero temperature</source>
        <translation>非零溫度下取樣的候選數</translation>
    </message>
    <message>
        <source>Patience</source>
        <translation>耐心係數</translation>
    </message>
    <message>
        <source>beam search patience (faster-whisper&apos;s)</source>
        <translation>束搜尋耐心係數（同 faster-whisper）</translation>
    </message>
    <message>
        <source>Temperatures</source>
        <translation>溫度</translation>
    </message>
    <message>
        <source>temperatures tried in turn, comma-separated</source>
        <translation>依序嘗試的溫度，以逗號分隔</translation>
    </message>
    <message>
        <source>Temperature fallback</source>
        <translation>溫度回退</translation>
    </message>
    <message>
        <source>retry a window at the next temperature when it fails the thresholds</source>
        <translation>視窗未達門檻時以下一個溫度重試</translation>
    </message>
    <message>
        <source>Condition on previous text</source>
        <translation>以前文為條件</translation>
    </message>
    <message>
        <source>give the decoder the previous window&apos;s text as prompt</source>
        <translation>將上一個視窗的文字作為提示交給解碼器</translation>
    </message>
    <message>
        <source>Compression ratio threshold</source>
        <translation>壓縮比門檻</translation>
    </message>
    <message>
        <source>gzip ratio above which a window is decoded again (none = off)</source>
        <translation>gzip 壓縮比高於此值時重新解碼該視窗（none = 關閉）</translation>
    </message>
    <message>
        <source>Log-probability threshold</source>
        <translation>對數機率門檻</translation>
    </message>
    <message>
        <source>average log-probability below which a window is decoded again (none = off)</source>
        <translation>平均對數機率低於此值時重新解碼該視窗（none = 關閉）</translation>
    </message>
    <message>
        <source>No-speech threshold</source>
        <translation>無語音門檻</translation>
    </message>
    <message>
        <source>no-speech probability above which a silent window is skipped (none = off)</source>
        <translation>無語音機率高於此值時略過靜音視窗（none = 關閉）</translation>
    </message>
    <message>
        <source>Initial prompt</source>
        <translation>初始提示</translation>
    </message>
    <message>
        <source>text given to the decoder before the first window</source>
        <translation>在第一個視窗之前交給解碼器的文字</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>隨機種子</translation>
    </message>
    <message>
        <source>random seed for sampling at non-zero temperature</source>
        <translation>非零溫度取樣時使用的隨機種子</translation>
    </message>
    <message>
        <source>Files per batch</source>
        <translation>每批檔案數</translation>
    </message>
    <message>
        <source>with --batch-files: how many files share encoder and decoder forwards</source>
        <translation>搭配 --batch-files：多少個檔案共用編碼器和解碼器的前向運算</translation>
    </message>
    <message>
        <source>Output formats</source>
        <translation>輸出格式</translation>
    </message>
    <message>
        <source>txt,srt,vtt,json,tsv or all</source>
        <translation>txt、srt、vtt、json、tsv 或 all（全部）</translation>
    </message>
    <message>
        <source>Text embeddings</source>
        <translation>文字嵌入</translation>
    </message>
    <message>
        <source>txt (one text per line), csv/tsv (a column), jsonl (a field)</source>
        <translation>txt（每行一段文字）、csv/tsv（某一欄）、jsonl（某一欄位）</translation>
    </message>
    <message>
        <source>texts</source>
        <translation>段文字</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>欄</translation>
    </message>
    <message>
        <source>the CSV/TSV column that holds the texts</source>
        <translation>存放文字的 CSV/TSV 欄</translation>
    </message>
    <message>
        <source>JSONL field</source>
        <translation>JSONL 欄位</translation>
    </message>
    <message>
        <source>the JSONL field that holds the texts</source>
        <translation>存放文字的 JSONL 欄位</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>輸出</translation>
    </message>
    <message>
        <source>dense,sparse,colbert (sparse and colbert need a BGE-M3 model)</source>
        <translation>dense、sparse、colbert（sparse 與 colbert 需要 BGE-M3 模型）</translation>
    </message>
    <message>
        <source>Maximum tokens</source>
        <translation>最大詞元數</translation>
    </message>
    <message>
        <source>truncate texts to N tokens</source>
        <translation>將文字截斷為 N 個詞元</translation>
    </message>
    <message>
        <source>Stored precision</source>
        <translation>儲存精度</translation>
    </message>
    <message>
        <source>precision of the stored vectors: float32 or float16</source>
        <translation>所存向量的精度：float32 或 float16</translation>
    </message>
    <message>
        <source>TorchScript predictor bundle or CpGPT model (folder, .zip or model-store id); repeatable</source>
        <translation>TorchScript 預測器套件或 CpGPT 模型（資料夾、.zip 或模型庫 ID）；可重複</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ActionDelegate</name>
    <message>
        <source>Open results</source>
        <translation>開啟結果</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ChartsDock</name>
    <message>
        <source>Live hardware</source>
        <translation>即時硬體</translation>
    </message>
    <message>
        <source>GPU: checking…</source>
        <translation>GPU：偵測中…</translation>
    </message>
    <message>
        <source>Utilisation</source>
        <translation>利用率</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>記憶體</translation>
    </message>
    <message>
        <source>GiB</source>
        <translation>GiB</translation>
    </message>
    <message>
        <source>Process RAM</source>
        <translation>處理程序記憶體</translation>
    </message>
    <message>
        <source>GPU memory</source>
        <translation>GPU 記憶體</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>吞吐量</translation>
    </message>
    <message>
        <source>items/s</source>
        <translation>項/秒</translation>
    </message>
    <message>
        <source>Running jobs</source>
        <translation>執行中的工作</translation>
    </message>
    <message>
        <source>Real-time factor</source>
        <translation>即時因子</translation>
    </message>
    <message>
        <source>s per media s</source>
        <translation>秒/媒體秒</translation>
    </message>
    <message>
        <source>Audio/video jobs</source>
        <translation>影音工作</translation>
    </message>
    <message>
        <source>Real-time factor of the running audio/video jobs (speech): processing seconds per second of media (lower is faster; 0.05 = 20× faster than real time).</source>
        <translation>執行中影音工作（語音）的即時因子：每秒媒體所需的處理秒數（越低越快；0.05 = 比即時快 20 倍）。</translation>
    </message>
    <message>
        <source>Server requests</source>
        <translation>伺服器請求</translation>
    </message>
    <message>
        <source>req</source>
        <translation>請求</translation>
    </message>
    <message>
        <source>Answered/s</source>
        <translation>已應答/秒</translation>
    </message>
    <message>
        <source>In flight</source>
        <translation>處理中</translation>
    </message>
    <message>
        <source>The local server: requests answered per second and requests admitted but not yet answered.</source>
        <translation>本機伺服器：每秒應答的請求數，以及已接收但尚未應答的請求數。</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>偵測中…</translation>
    </message>
    <message>
        <source>RTF –</source>
        <translation>RTF –</translation>
    </message>
    <message>
        <source>RTF %1 (%2× real time)</source>
        <translation>RTF %1（即時的 %2 倍速）</translation>
    </message>
    <message>
        <source>RTF %1 (%2× slower than real time)</source>
        <translation>RTF %1（比即時慢 %2 倍）</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
    <message>
        <source>GPU: %1</source>
        <translation>GPU：%1</translation>
    </message>
    <message>
        <source>GPU telemetry unavailable: %1</source>
        <translation>GPU 遙測不可用：%1</translation>
    </message>
    <message>
        <source>%1 backend: %2</source>
        <translation>%1 後端：%2</translation>
    </message>
    <message>
        <source>Real-time factor: %1</source>
        <translation>即時因子：%1</translation>
    </message>
    <message>
        <source>No samples yet.</source>
        <translation>尚無取樣。</translation>
    </message>
    <message>
        <source>CPU %1 %</source>
        <translation>CPU %1 %</translation>
    </message>
    <message>
        <source>Process RAM %1 GiB</source>
        <translation>處理程序記憶體 %1 GiB</translation>
    </message>
    <message>
        <source>, GPU %1 %</source>
        <translation>，GPU %1 %</translation>
    </message>
    <message>
        <source>, GPU memory %1 GiB</source>
        <translation>，GPU 記憶體 %1 GiB</translation>
    </message>
    <message>
        <source>Running jobs: %1 %2/s</source>
        <translation>執行中的工作：%1 %2/秒</translation>
    </message>
    <message>
        <source>items</source>
        <translation>項</translation>
    </message>
    <message>
        <source>No job running.</source>
        <translation>沒有執行中的工作。</translation>
    </message>
    <message>
        <source>No speech job running.</source>
        <translation>沒有執行中的語音工作。</translation>
    </message>
    <message>
        <source>%1 requests answered per second, %2 in flight</source>
        <translation>每秒應答 %1 個請求，%2 個處理中</translation>
    </message>
    <message>
        <source>The local server is off.</source>
        <translation>本機伺服器已關閉。</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ClusterController</name>
    <message>
        <source> (+%1 more)</source>
        <translation> （另有 %1 個）</translation>
    </message>
    <message>
        <source>Slurm did not take the submission.</source>
        <translation>Slurm 未接受此次提交。</translation>
    </message>
    <message>
        <source>%1

The scripts are in %2.</source>
        <translation>%1

指令碼位於 %2。</translation>
    </message>
    <message>
        <source>Submitted %1 to Slurm: array job %2 (%3 parts), merge job %4</source>
        <translation>已將 %1 提交到 Slurm：陣列工作 %2（%3 個分片），合併工作 %4</translation>
    </message>
    <message>
        <source>The submission could not be cancelled.</source>
        <translation>無法取消此次提交。</translation>
    </message>
    <message>
        <source>Cancelling %1 on Slurm…</source>
        <translation>正在取消 Slurm 上的 %1…</translation>
    </message>
    <message>
        <source>The failed parts were not submitted again.</source>
        <translation>失敗的分片未重新提交。</translation>
    </message>
    <message>
        <source>No failed parts to resubmit.</source>
        <translation>沒有需要重新提交的失敗分片。</translation>
    </message>
    <message>
        <source>Resubmitted part(s) %1 of %2 as job %3; merge job %4</source>
        <translation>已將 %2 的分片 %1 重新提交為工作 %3；合併工作 %4</translation>
    </message>
    <message>
        <source>%1/%2 parts done</source>
        <translation>已完成 %1/%2 個分片</translation>
    </message>
    <message>
        <source>Slurm</source>
        <translation>Slurm</translation>
    </message>
    <message>
        <source>array job %1 (%2 parts), merge job %3</source>
        <translation>陣列工作 %1（%2 個分片），合併工作 %3</translation>
    </message>
    <message>
        <source>submitting…</source>
        <translation>提交中…</translation>
    </message>
    <message>
        <source>submitting</source>
        <translation>提交中</translation>
    </message>
    <message>
        <source>Submitting to Slurm (sbatch)…</source>
        <translation>正在提交到 Slurm（sbatch）…</translation>
    </message>
    <message>
        <source>not submitted</source>
        <translation>未提交</translation>
    </message>
    <message>
        <source>sbatch failed: %1</source>
        <translation>sbatch 失敗：%1</translation>
    </message>
    <message>
        <source>%1, waiting for Slurm</source>
        <translation>%1，等待 Slurm</translation>
    </message>
    <message>
        <source>%1, merged</source>
        <translation>%1，已合併</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>已合併</translation>
    </message>
    <message>
        <source>Merged into %1</source>
        <translation>已合併到 %1</translation>
    </message>
    <message>
        <source>%1, cancelled</source>
        <translation>%1，已取消</translation>
    </message>
    <message>
        <source>%1, %2 failed</source>
        <translation>%1，%2 個失敗</translation>
    </message>
    <message>
        <source>part %1</source>
        <translation>分片 %1</translation>
    </message>
    <message>
        <source>parts %1</source>
        <translation>分片 %1</translation>
    </message>
    <message>
        <source>Part %1 failed (%2): Resubmit Failed Parts runs it again; its log is logs/part-%1.out</source>
        <translation>分片 %1 失敗（%2）：「重新提交失敗的分片」會再次執行它；其日誌為 logs/part-%1.out</translation>
    </message>
    <message>
        <source>Parts %1 failed (%2): Resubmit Failed Parts runs them again; logs in logs/</source>
        <translation>分片 %1 失敗（%2）：「重新提交失敗的分片」會再次執行它們；日誌位於 logs/</translation>
    </message>
    <message>
        <source>%1, merge failed</source>
        <translation>%1，合併失敗</translation>
    </message>
    <message>
        <source>The merge job %1 ended %2: see logs/merge.out</source>
        <translation>合併工作 %1 結束狀態為 %2：參見 logs/merge.out</translation>
    </message>
    <message>
        <source>%1, merging</source>
        <translation>%1，合併中</translation>
    </message>
    <message>
        <source>merging</source>
        <translation>合併中</translation>
    </message>
    <message>
        <source>Merging</source>
        <translation>合併中</translation>
    </message>
    <message>
        <source>%1, %2 running</source>
        <translation>%1，%2 個執行中</translation>
    </message>
    <message>
        <source>%1, %2 queued</source>
        <translation>%1，%2 個排隊中</translation>
    </message>
    <message>
        <source>, part %1 failed</source>
        <translation>，分片 %1 失敗</translation>
    </message>
    <message>
        <source>, parts %1 failed</source>
        <translation>，分片 %1 失敗</translation>
    </message>
    <message>
        <source>Cancelling</source>
        <translation>正在取消</translation>
    </message>
    <message>
        <source>Resubmitting</source>
        <translation>正在重新提交</translation>
    </message>
    <message>
        <source>Cluster: %1 — %2</source>
        <translation>叢集：%1 — %2</translation>
    </message>
    <message>
        <source>%1
Submission folder: %2</source>
        <translation>%1
提交資料夾：%2</translation>
    </message>
    <message>
        <source>Not submitted yet</source>
        <translation>尚未提交</translation>
    </message>
    <message>
        <source>Slurm %1</source>
        <translation>Slurm %1</translation>
    </message>
    <message>
        <source>partition %1</source>
        <translation>分割區 %1</translation>
    </message>
    <message>
        <source>part %1/%2  %3  %4</source>
        <translation>分片 %1/%2  %3  %4</translation>
    </message>
    <message>
        <source>merge  %1  %2</source>
        <translation>合併  %1  %2</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ClusterDialog</name>
    <message>
        <source>Run on Cluster</source>
        <translation>在叢集上執行</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>輸入</translation>
    </message>
    <message>
        <source>Add &amp;Files…</source>
        <translation>新增檔案(&amp;F)…</translation>
    </message>
    <message>
        <source>Add F&amp;older…</source>
        <translation>新增資料夾(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>Inputs to run on the cluster</source>
        <translation>要在叢集上執行的輸入</translation>
    </message>
    <message>
        <source>Folder to run on the cluster</source>
        <translation>要在叢集上執行的資料夾</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>分片</translation>
    </message>
    <message>
        <source>The inputs are split into this many parts, one Slurm array task each (run --shard I/N).</source>
        <translation>輸入被拆分為這麼多個分片，每個分片對應一個 Slurm 陣列任務（run --shard I/N）。</translation>
    </message>
    <message>
        <source>&amp;Parts:</source>
        <translation>分片數(&amp;P)：</translation>
    </message>
    <message>
        <source>The cluster&apos;s default</source>
        <translation>叢集預設值</translation>
    </message>
    <message>
        <source>P&amp;artition:</source>
        <translation>分割區(&amp;A)：</translation>
    </message>
    <message>
        <source>The partition&apos;s default (e.g. 2:00:00)</source>
        <translation>分割區預設值（如 2:00:00）</translation>
    </message>
    <message>
        <source>Time limit of each part, in Slurm&apos;s format: minutes, h:mm:ss or days-hh:mm:ss.</source>
        <translation>每個分片的時間限制，採用 Slurm 格式：分鐘、h:mm:ss 或 days-hh:mm:ss。</translation>
    </message>
    <message>
        <source>&amp;Time limit per part:</source>
        <translation>每個分片的時間限制(&amp;T)：</translation>
    </message>
    <message>
        <source>The partition&apos;s default (e.g. 16G)</source>
        <translation>分割區預設值（如 16G）</translation>
    </message>
    <message>
        <source>&amp;Memory per part:</source>
        <translation>每個分片的記憶體(&amp;M)：</translation>
    </message>
    <message>
        <source>The partition&apos;s default</source>
        <translation>分割區預設值</translation>
    </message>
    <message>
        <source>Each part uses as many threads as the CPUs Slurm gives it.</source>
        <translation>每個分片使用的執行緒數等於 Slurm 分配給它的 CPU 數。</translation>
    </message>
    <message>
        <source>&amp;CPUs per part:</source>
        <translation>每個分片的 CPU 數(&amp;C)：</translation>
    </message>
    <message>
        <source>None</source>
        <translation>無</translation>
    </message>
    <message>
        <source>GPUs per part (--gres=gpu:N).</source>
        <translation>每個分片的 GPU 數（--gres=gpu:N）。</translation>
    </message>
    <message>
        <source>&amp;GPUs per part:</source>
        <translation>每個分片的 GPU 數(&amp;G)：</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>資料夾</translation>
    </message>
    <message>
        <source>Each submission gets a folder &quot;slurm-&lt;date&gt;-&lt;time&gt;&quot; in here with its scripts, logs, parts and merged results. Every node must see it.</source>
        <translation>每次提交都會在此處獲得一個「slurm-&lt;date&gt;-&lt;time&gt;」資料夾，其中包含指令碼、日誌、分片和合併後的結果。每個節點都必須能存取它。</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>瀏覽(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Output folder:</source>
        <translation>輸出資料夾(&amp;O)：</translation>
    </message>
    <message>
        <source>Output folder for submissions</source>
        <translation>提交的輸出資料夾</translation>
    </message>
    <message>
        <source>The benchtop-cli every node runs, as the nodes see it.</source>
        <translation>每個節點執行的 benchtop-cli（按節點上看到的路徑）。</translation>
    </message>
    <message>
        <source>benchtop-cli on the &amp;nodes:</source>
        <translation>節點上的 benchtop-cli(&amp;N)：</translation>
    </message>
    <message>
        <source>Submits with this machine&apos;s sbatch: run Benchtop on the cluster&apos;s login node (there is no SSH login host). Elsewhere, run &lt;tt&gt;benchtop-cli slurm submit&lt;/tt&gt; on the login node. The row in the job list follows the parts and the merge.</source>
        <translation>使用本機的 sbatch 提交：請在叢集的登入節點上執行 Benchtop（沒有 SSH 登入主機）。在其他地方，請在登入節點上執行 &lt;tt&gt;benchtop-cli slurm submit&lt;/tt&gt;。工作列表中的該行會跟蹤各分片及合併。</translation>
    </message>
    <message>
        <source>&amp;Submit</source>
        <translation>提交(&amp;S)</translation>
    </message>
    <message>
        <source>Show Scr&amp;ipts</source>
        <translation>顯示指令碼(&amp;I)</translation>
    </message>
    <message>
        <source>add the files to run (Add Files…).</source>
        <translation>請新增要執行的檔案（新增檔案…）。</translation>
    </message>
    <message>
        <source>the files belong to several tasks (%1); submit the files of each task on their own.</source>
        <translation>這些檔案屬於多個任務（%1）；請分別提交每個任務的檔案。</translation>
    </message>
    <message>
        <source># submitted with --dependency=afterok:&lt;array job&gt;
</source>
        <translation># 以 --dependency=afterok:&lt;陣列工作&gt; 提交
</translation>
    </message>
    <message>
        <source># The scripts cannot be written:
# %1</source>
        <translation># 無法寫入指令碼：
# %1</translation>
    </message>
    <message>
        <source>Hide Scr&amp;ipts</source>
        <translation>隱藏指令碼(&amp;I)</translation>
    </message>
    <message>
        <source>the task each file is recognised as</source>
        <translation>每個檔案被識別出的任務</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>模型 %1</translation>
    </message>
    <message>
        <source>(the task&apos;s default)</source>
        <translation>（任務預設值）</translation>
    </message>
    <message>
        <source>device %1 · %2</source>
        <translation>裝置 %1 · %2</translation>
    </message>
    <message>
        <source>options %1</source>
        <translation>選項 %1</translation>
    </message>
    <message>
        <source>Each part runs %1 (as a local job would, from the settings); a merge job joins the parts when all of them succeed.</source>
        <translation>每個分片執行 %1（與本機工作相同，依據設定）；所有分片成功後，由合併工作將它們合併。</translation>
    </message>
    <message>
        <source>The submission cannot be made.</source>
        <translation>無法進行提交。</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::DeviceBadge</name>
    <message>
        <source>detecting…</source>
        <translation>偵測中…</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>裝置：%1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>No device</source>
        <translation>無裝置</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::DropZone</name>
    <message>
        <source>Drop files or folders here</source>
        <translation>將檔案或資料夾拖放到此處</translation>
    </message>
    <message>
        <source>Open Files…</source>
        <translation>開啟檔案…</translation>
    </message>
    <message>
        <source>Open Folder…</source>
        <translation>開啟資料夾…</translation>
    </message>
    <message>
        <source>Drop zone</source>
        <translation>拖放區</translation>
    </message>
    <message>
        <source>Drop files or folders here to run them, or use the Open Files and Open Folder buttons.</source>
        <translation>將檔案或資料夾拖放到此處即可執行，或使用「開啟檔案」和「開啟資料夾」按鈕。</translation>
    </message>
    <message>
        <source>Choose files to run; each file becomes one job</source>
        <translation>選擇要執行的檔案；每個檔案成為一個工作</translation>
    </message>
    <message>
        <source>Choose a folder; every supported file in it becomes a job</source>
        <translation>選擇一個資料夾；其中每個受支援的檔案都成為一個工作</translation>
    </message>
    <message>
        <source>
Folders are expanded; each file becomes one job on the device shown at the top right.</source>
        <translation>
資料夾會被展開；每個檔案在右上角顯示的裝置上成為一個工作。</translation>
    </message>
    <message>
        <source>Drop more files here</source>
        <translation>將更多檔案拖放到此處</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::FileListResultView</name>
    <message>
        <source>Show Folder</source>
        <translation>顯示資料夾</translation>
    </message>
    <message>
        <source>Result file</source>
        <translation>結果檔案</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Finished.</source>
        <translation>已完成。</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失敗：%1</translation>
    </message>
    <message>
        <source>Cancelled; partial results were removed.</source>
        <translation>已取消；部分結果已刪除。</translation>
    </message>
    <message>
        <source>Results appear here when the job finishes.</source>
        <translation>工作完成後，結果將顯示在此處。</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>開啟</translation>
    </message>
    <message>
        <source>Open %1 with its default application</source>
        <translation>用預設應用程式開啟 %1</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::JobListModel</name>
    <message>
        <source>Queued</source>
        <translation>排隊中</translation>
    </message>
    <message>
        <source>Preparing</source>
        <translation>準備中</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>執行中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>detecting…</source>
        <translation>偵測中…</translation>
    </message>
    <message>
        <source>default</source>
        <translation>預設</translation>
    </message>
    <message>
        <source>took %1</source>
        <translation>耗時 %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Open results</source>
        <translation>開啟結果</translation>
    </message>
    <message>
        <source>Resubmit failed</source>
        <translation>重新提交失敗項</translation>
    </message>
    <message>
        <source>The task&apos;s default model</source>
        <translation>任務的預設模型</translation>
    </message>
    <message>
        <source>Stop this job (takes effect after the current batch)</source>
        <translation>停止此工作（在目前批次之後生效）</translation>
    </message>
    <message>
        <source>Open the folder with the result files</source>
        <translation>開啟包含結果檔案的資料夾</translation>
    </message>
    <message>
        <source>Submit the failed parts again, and a new merge</source>
        <translation>重新提交失敗的分片，並進行一次新的合併</translation>
    </message>
    <message>
        <source>File</source>
        <translation>檔案</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任務</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>裝置</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>進度</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>剩餘時間</translation>
    </message>
    <message>
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Result / error</source>
        <translation>結果 / 錯誤</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::JobListView</name>
    <message>
        <source>Jobs</source>
        <translation>工作</translation>
    </message>
    <message>
        <source>One row per job: file, task, model, device, progress, state and result. Delete cancels the selected job.</source>
        <translation>每個工作一行：檔案、任務、模型、裝置、進度、狀態和結果。按 Delete 取消所選工作。</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>取消工作</translation>
    </message>
    <message>
        <source>Open results</source>
        <translation>開啟結果</translation>
    </message>
    <message>
        <source>Resubmit failed parts</source>
        <translation>重新提交失敗的分片</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::MainWindow</name>
    <message>
        <source>Benchtop</source>
        <translation>Benchtop</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Ready. Drop files or use File › Open.</source>
        <translation>就緒。拖放檔案，或使用「檔案 › 開啟」。</translation>
    </message>
    <message>
        <source>Run on Cluster</source>
        <translation>在叢集上執行</translation>
    </message>
    <message>
        <source>&amp;Open Files…</source>
        <translation>開啟檔案(&amp;O)…</translation>
    </message>
    <message>
        <source>Choose files to run; each file becomes one job</source>
        <translation>選擇要執行的檔案；每個檔案成為一個工作</translation>
    </message>
    <message>
        <source>Open &amp;Results…</source>
        <translation>開啟結果(&amp;R)…</translation>
    </message>
    <message>
        <source>Show an earlier job&apos;s results folder without running it again</source>
        <translation>顯示先前工作的結果資料夾，而無需重新執行</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>開啟資料夾(&amp;F)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Choose a folder; every supported file in it becomes a job</source>
        <translation>選擇一個資料夾；其中每個受支援的檔案都成為一個工作</translation>
    </message>
    <message>
        <source>Run on &amp;Cluster…</source>
        <translation>在叢集上執行(&amp;C)…</translation>
    </message>
    <message>
        <source>Resubmit &amp;Failed Parts</source>
        <translation>重新提交失敗的分片(&amp;F)</translation>
    </message>
    <message>
        <source>Submit the failed parts of the selected cluster submission again</source>
        <translation>重新提交所選叢集提交中失敗的分片</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>設定(&amp;S)…</translation>
    </message>
    <message>
        <source>Device, precision, threads and output folder</source>
        <translation>裝置、精度、執行緒和輸出資料夾</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>模型(&amp;M)…</translation>
    </message>
    <message>
        <source>Download, import, remove and choose models</source>
        <translation>下載、匯入、移除和選擇模型</translation>
    </message>
    <message>
        <source>&amp;Local Server</source>
        <translation>本機伺服器(&amp;L)</translation>
    </message>
    <message>
        <source>Serve the models of Settings › Server over HTTP (OpenAI-compatible embeddings and transcriptions)</source>
        <translation>透過 HTTP 提供「設定 › 伺服器」中的模型（相容 OpenAI 的嵌入和轉錄介面）</translation>
    </message>
    <message>
        <source>Server &amp;Settings…</source>
        <translation>伺服器設定(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>結束(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Cancel Job</source>
        <translation>取消工作(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel the selected job</source>
        <translation>取消所選工作</translation>
    </message>
    <message>
        <source>Cancel &amp;All</source>
        <translation>全部取消(&amp;A)</translation>
    </message>
    <message>
        <source>Cancel every queued and running job</source>
        <translation>取消所有排隊中和執行中的工作</translation>
    </message>
    <message>
        <source>Open &amp;Results</source>
        <translation>開啟結果(&amp;R)</translation>
    </message>
    <message>
        <source>Open the folder with the selected job&apos;s results</source>
        <translation>開啟包含所選工作結果的資料夾</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>尋找(&amp;F)…</translation>
    </message>
    <message>
        <source>Search or filter the results shown</source>
        <translation>搜尋或篩選顯示的結果</translation>
    </message>
    <message>
        <source>C&amp;lear Finished</source>
        <translation>清除已完成(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;About Benchtop</source>
        <translation>關於 Benchtop(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Licences and Notices</source>
        <translation>授權與聲明(&amp;L)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>關於 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>檔案(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近開啟的檔案(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation>工作(&amp;J)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編輯(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>檢視(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Live Hardware Charts</source>
        <translation>即時硬體圖表(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>伺服器(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>說明(&amp;H)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具列</translation>
    </message>
    <message>
        <source>Starting the local server: loading its models…</source>
        <translation>正在啟動本機伺服器：載入其模型…</translation>
    </message>
    <message>
        <source>Stopping the local server…</source>
        <translation>正在停止本機伺服器…</translation>
    </message>
    <message>
        <source>Local server on %1</source>
        <translation>本機伺服器執行於 %1</translation>
    </message>
    <message>
        <source>Local server stopped.</source>
        <translation>本機伺服器已停止。</translation>
    </message>
    <message>
        <source>Server: starting…</source>
        <translation>伺服器：啟動中…</translation>
    </message>
    <message>
        <source>Loading the models of Settings › Server</source>
        <translation>正在載入「設定 › 伺服器」中的模型</translation>
    </message>
    <message>
        <source>Server: stopping…</source>
        <translation>伺服器：停止中…</translation>
    </message>
    <message>
        <source>Answering the requests in flight, then closing</source>
        <translation>正在應答處理中的請求，然後關閉</translation>
    </message>
    <message>
        <source>1 request</source>
        <translation>1 個請求</translation>
    </message>
    <message>
        <source>%1 requests</source>
        <translation>%1 個請求</translation>
    </message>
    <message>
        <source>Server: %1 · %2 in flight · %3</source>
        <translation>伺服器：%1 · %2 個處理中 · %3</translation>
    </message>
    <message>
        <source>&lt;b&gt;Local server&lt;/b&gt; on %1 (%2)</source>
        <translation>&lt;b&gt;本機伺服器&lt;/b&gt;執行於 %1（%2）</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>%1 texts embedded, %2 s of audio transcribed, padding efficiency %3 %</source>
        <translation>已嵌入 %1 條文字，已轉錄 %2 秒音訊，填充效率 %3 %</translation>
    </message>
    <message>
        <source>%1 requests failed</source>
        <translation>%1 個請求失敗</translation>
    </message>
    <message>
        <source>The local server did not start: %1</source>
        <translation>本機伺服器未能啟動：%1</translation>
    </message>
    <message>
        <source>Local Server</source>
        <translation>本機伺服器</translation>
    </message>
    <message>
        <source>The local server did not start.</source>
        <translation>本機伺服器未能啟動。</translation>
    </message>
    <message>
        <source>No supported files found in what was dropped.</source>
        <translation>拖放的內容中未找到受支援的檔案。</translation>
    </message>
    <message>
        <source>Queued %1</source>
        <translation>已排隊 %1</translation>
    </message>
    <message>
        <source>Queued %1 files</source>
        <translation>已排隊 %1 個檔案</translation>
    </message>
    <message>
        <source>Attached %1 to %2</source>
        <translation>已將 %1 附加到 %2</translation>
    </message>
    <message>
        <source>%1 looks like a %2 but belongs to no single file of the drop; drop it together with the files of its folder</source>
        <translation>%1 看起來像 %2，但不屬於此次拖放中的任何單個檔案；請將它與其資料夾中的檔案一起拖放</translation>
    </message>
    <message>
        <source>Benchtop&apos;s own results skipped</source>
        <translation>已跳過 Benchtop 自身的結果</translation>
    </message>
    <message>
        <source>%1 finished</source>
        <translation>%1 已完成</translation>
    </message>
    <message>
        <source>%1 finished: %2</source>
        <translation>%1 已完成：%2</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 失敗：%2</translation>
    </message>
    <message>
        <source>%1 cancelled</source>
        <translation>%1 已取消</translation>
    </message>
    <message>
        <source>work units</source>
        <translation>工作單元</translation>
    </message>
    <message>
        <source>No jobs</source>
        <translation>沒有工作</translation>
    </message>
    <message>
        <source>%1 running · %2 queued · %3 done · %4 failed</source>
        <translation>%1 個執行中 · %2 個排隊中 · %3 個已完成 · %4 個失敗</translation>
    </message>
    <message>
        <source>Split files into parts that run as a Slurm job array, merged when all are done</source>
        <translation>將檔案拆分為多個分片，作為 Slurm 工作陣列執行，全部完成後合併</translation>
    </message>
    <message>
        <source>sbatch was not found on PATH: Benchtop submits with this machine&apos;s Slurm only. On the cluster&apos;s login node, use benchtop-cli slurm submit.</source>
        <translation>在 PATH 中找不到 sbatch：Benchtop 只使用本機的 Slurm 提交。請在叢集的登入節點上使用 benchtop-cli slurm submit。</translation>
    </message>
    <message>
        <source>Submitting to Slurm…</source>
        <translation>正在提交到 Slurm…</translation>
    </message>
    <message>
        <source>Resubmitting the failed parts…</source>
        <translation>正在重新提交失敗的分片…</translation>
    </message>
    <message>
        <source>Supported files (%1)</source>
        <translation>受支援的檔案（%1）</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有檔案 (*)</translation>
    </message>
    <message>
        <source>Open Files</source>
        <translation>開啟檔案</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>開啟資料夾</translation>
    </message>
    <message>
        <source>Settings saved; new jobs use %1.</source>
        <translation>設定已儲存；新工作將使用 %1。</translation>
    </message>
    <message>
        <source>Nothing to search: select a job whose results can be searched.</source>
        <translation>沒有可搜尋的內容：請選擇一個結果可搜尋的工作。</translation>
    </message>
    <message>
        <source>Not now: the submission is being submitted, cancelled or resubmitted.</source>
        <translation>現在不行：該提交正在提交、取消或重新提交中。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Cancelling all jobs…</source>
        <translation>正在取消所有工作…</translation>
    </message>
    <message>
        <source>The results folder %1 does not exist.</source>
        <translation>結果資料夾 %1 不存在。</translation>
    </message>
    <message>
        <source>Open Results</source>
        <translation>開啟結果</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>資料夾 %1 不存在。</translation>
    </message>
    <message>
        <source>%1 is not a Benchtop results folder: it has no %2. Choose the folder of one job, e.g. benchtop-results/&lt;input name&gt;.</source>
        <translation>%1 不是 Benchtop 結果資料夾：其中沒有 %2。請選擇某個工作的資料夾，例如 benchtop-results/&lt;輸入名稱&gt;。</translation>
    </message>
    <message>
        <source>%1 in %2 cannot be read: %3</source>
        <translation>無法讀取 %2 中的 %1：%3</translation>
    </message>
    <message>
        <source>it names no task</source>
        <translation>其中未指明任務</translation>
    </message>
    <message>
        <source>Earlier results, opened from disk</source>
        <translation>先前的結果，從磁碟開啟</translation>
    </message>
    <message>
        <source>Opened the results in %1</source>
        <translation>已開啟 %1 中的結果</translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 及另外 %n 個</numerusform>
        </translation>
    </message>
    <message>
        <source>Results: %1</source>
        <translation>結果：%1</translation>
    </message>
    <message>
        <source>Show these results again</source>
        <translation>再次顯示這些結果</translation>
    </message>
    <message>
        <source>Run these files again</source>
        <translation>再次執行這些檔案</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>沒有最近的檔案</translation>
    </message>
    <message>
        <source>&amp;Clear Menu</source>
        <translation>清除選單(&amp;C)</translation>
    </message>
    <message>
        <source>%1 is no longer there.</source>
        <translation>%1 已不存在。</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 失敗</translation>
    </message>
    <message>
        <source>%1 is done</source>
        <translation>%1 已完成</translation>
    </message>
    <message>
        <source>Finished in %1.</source>
        <translation>用時 %1 完成。</translation>
    </message>
    <message>
        <source>%1 (in %2)</source>
        <translation>%1（位於 %2）</translation>
    </message>
    <message>
        <source>Quit Benchtop</source>
        <translation>結束 Benchtop</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) still queued or running.</source>
        <translation>
            <numerusform>仍有 %n 個工作在排隊或執行。</numerusform>
        </translation>
    </message>
    <message>
        <source>Quitting cancels them; their unfinished results are removed.</source>
        <translation>結束將取消它們；其未完成的結果將被刪除。</translation>
    </message>
    <message>
        <source>Cancel jobs and quit</source>
        <translation>取消工作並結束</translation>
    </message>
    <message>
        <source>Keep running</source>
        <translation>繼續執行</translation>
    </message>
    <message>
        <source>The jobs keep running.</source>
        <translation>工作將繼續執行。</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::MethylationResultView</name>
    <message>
        <source>Residual</source>
        <translation>殘差</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差值</translation>
    </message>
    <message>
        <source>Hidden</source>
        <translation>隱藏</translation>
    </message>
    <message>
        <source>Age acceleration next to each age clock: the residual of prediction ~ age over the cohort (intrinsic age acceleration) or prediction − age</source>
        <translation>每個年齡時鐘旁顯示的年齡加速：群體中「預測值 ~ 年齡」迴歸的殘差（內在年齡加速）或「預測值 − 年齡」</translation>
    </message>
    <message>
        <source>Age acceleration:</source>
        <translation>年齡加速：</translation>
    </message>
    <message>
        <source>Clocks whose CpGs this array or file does not cover enough for any sample</source>
        <translation>此晶片或檔案對其 CpG 覆蓋不足、無法為任何樣本計算的時鐘</translation>
    </message>
    <message>
        <source>not computable</source>
        <translation>無法計算</translation>
    </message>
    <message>
        <source>computed with missing CpGs</source>
        <translation>在缺少 CpG 的情況下計算</translation>
    </message>
    <message>
        <source>Hover a cell for its CpG coverage.</source>
        <translation>將滑鼠懸停在儲存格上可檢視其 CpG 覆蓋率。</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>匯出 CSV…</translation>
    </message>
    <message>
        <source>Save the table as shown (columns and row order) as CSV, numbers at full precision</source>
        <translation>將表格按顯示的樣子（列和行順序）儲存為 CSV，數值為完整精度</translation>
    </message>
    <message>
        <source>Filter samples… (Ctrl+F)</source>
        <translation>篩選樣本…（Ctrl+F）</translation>
    </message>
    <message>
        <source>Filter samples</source>
        <translation>篩選樣本</translation>
    </message>
    <message>
        <source>Predictions</source>
        <translation>預測</translation>
    </message>
    <message>
        <source>One row per sample, one column per clock; sort by clicking a header</source>
        <translation>每個樣本一行，每個時鐘一列；點選表頭排序</translation>
    </message>
    <message>
        <source>The age clock plotted against chronological age</source>
        <translation>年齡時鐘與實際年齡的對照圖</translation>
    </message>
    <message>
        <source>Clock:</source>
        <translation>時鐘：</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>樣本</translation>
    </message>
    <message>
        <source>predicted = age</source>
        <translation>預測 = 年齡</translation>
    </message>
    <message>
        <source>Chronological age (years)</source>
        <translation>實際年齡（歲）</translation>
    </message>
    <message>
        <source>Predicted age (years)</source>
        <translation>預測年齡（歲）</translation>
    </message>
    <message>
        <source>Predicted against chronological age</source>
        <translation>預測年齡與實際年齡對照</translation>
    </message>
    <message>
        <source>%1
age %2, predicted %3</source>
        <translation>%1
年齡 %2，預測 %3</translation>
    </message>
    <message>
        <source>The job failed: %1</source>
        <translation>工作失敗：%1</translation>
    </message>
    <message>
        <source>The job was cancelled; it wrote no predictions.</source>
        <translation>工作已取消；未寫出任何預測。</translation>
    </message>
    <message>
        <source>Predicting… (%1 of %2 samples). The table and the age chart appear here when the job finishes.</source>
        <translation>正在預測…（%2 個樣本中的第 %1 個）。工作完成後，表格和年齡圖表將顯示在此處。</translation>
    </message>
    <message>
        <source>Reading the matrix… The table and the age chart appear here when the job finishes.</source>
        <translation>正在讀取矩陣… 工作完成後，表格和年齡圖表將顯示在此處。</translation>
    </message>
    <message>
        <source>The job finished without a predictions.json to show.</source>
        <translation>工作已完成，但沒有可顯示的 predictions.json。</translation>
    </message>
    <message>
        <source>Cannot show the predictions: %1</source>
        <translation>無法顯示預測：%1</translation>
    </message>
    <message>
        <source>%1 samples × %2 clocks</source>
        <translation>%1 個樣本 × %2 個時鐘</translation>
    </message>
    <message>
        <source>Hide clocks without values</source>
        <translation>隱藏沒有數值的時鐘</translation>
    </message>
    <message>
        <source>Hide 1 clock without values</source>
        <translation>隱藏 1 個沒有數值的時鐘</translation>
    </message>
    <message>
        <source>Hide %1 clocks without values</source>
        <translation>隱藏 %1 個沒有數值的時鐘</translation>
    </message>
    <message>
        <source>No chronological ages are known. Drop a sample sheet (Sample_Name, Age) together with the matrix to plot predicted against chronological age and to get age acceleration.</source>
        <translation>未知任何實際年齡。請將樣本表（Sample_Name, Age）與矩陣一起拖放，以繪製預測年齡與實際年齡的對照圖並獲得年齡加速。</translation>
    </message>
    <message>
        <source>No age clock could be computed for a sample with a known age.</source>
        <translation>對於已知年齡的樣本，無法計算任何年齡時鐘。</translation>
    </message>
    <message>
        <source>undefined</source>
        <translation>未定義</translation>
    </message>
    <message>
        <source>Pearson r = %1 · median absolute error = %2 years · n = %3</source>
        <translation>Pearson r = %1 · 中位絕對誤差 = %2 歲 · n = %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>there are no predictions to export</source>
        <translation>沒有可匯出的預測</translation>
    </message>
    <message>
        <source>Export Table</source>
        <translation>匯出表格</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 檔案 (*.csv)</translation>
    </message>
    <message>
        <source>The table could not be saved.
%1</source>
        <translation>無法儲存表格。
%1</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::MethylationTableModel</name>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>not computable</source>
        <translation>無法計算</translation>
    </message>
    <message>
        <source>%1: %2/%3 CpGs present (%4)</source>
        <translation>%1：%2/%3 個 CpG 存在（%4）</translation>
    </message>
    <message>
        <source>, 1 imputed</source>
        <translation>，1 個已插補</translation>
    </message>
    <message>
        <source>, %1 imputed</source>
        <translation>，%1 個已插補</translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation> （%1）</translation>
    </message>
    <message>
        <source>
value: %1</source>
        <translation>
值：%1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>The sample sheet gives no age for %1</source>
        <translation>樣本表中沒有 %1 的年齡</translation>
    </message>
    <message>
        <source>No %1 prediction for %2, so no age acceleration</source>
        <translation>%2 沒有 %1 預測，因此沒有年齡加速</translation>
    </message>
    <message>
        <source>No chronological age for %1</source>
        <translation>%1 沒有實際年齡</translation>
    </message>
    <message>
        <source>%1 − age = %2 years</source>
        <translation>%1 − 年齡 = %2 歲</translation>
    </message>
    <message>
        <source>
residual of %1 ~ age = %2 years</source>
        <translation>
%1 ~ 年齡的殘差 = %2 歲</translation>
    </message>
    <message>
        <source>
no residual: %1</source>
        <translation>
無殘差：%1</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>樣本</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年齡</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性別</translation>
    </message>
    <message>
        <source>%1
acc. diff</source>
        <translation>%1
加速差值</translation>
    </message>
    <message>
        <source>%1
acc. resid</source>
        <translation>%1
加速殘差</translation>
    </message>
    <message>
        <source>Sample name (matrix column)</source>
        <translation>樣本名稱（矩陣列）</translation>
    </message>
    <message>
        <source>Chronological age in years, from the sample sheet</source>
        <translation>實際年齡（歲），來自樣本表</translation>
    </message>
    <message>
        <source>Sex from the sample sheet</source>
        <translation>性別，來自樣本表</translation>
    </message>
    <message>
        <source>%1: %2, %3 CpGs</source>
        <translation>%1：%2，%3 個 CpG</translation>
    </message>
    <message>
        <source>prediction</source>
        <translation>預測</translation>
    </message>
    <message>
        <source>Tissue: %1</source>
        <translation>組織：%1</translation>
    </message>
    <message>
        <source>Missing values: %1</source>
        <translation>缺失值：%1</translation>
    </message>
    <message>
        <source>Computed for %1 of %2 samples</source>
        <translation>已為 %2 個樣本中的 %1 個計算</translation>
    </message>
    <message>
        <source>Age acceleration of %1: prediction − chronological age (years)</source>
        <translation>%1 的年齡加速：預測值 − 實際年齡（歲）</translation>
    </message>
    <message>
        <source>Age acceleration of %1: residual of the least-squares fit prediction = a + b·age over the cohort (a = %2, b = %3); it changes when samples are added or removed</source>
        <translation>%1 的年齡加速：群體上最小二乘擬合「預測值 = a + b·年齡」的殘差（a = %2，b = %3）；新增或移除樣本時會改變</translation>
    </message>
    <message>
        <source>Age acceleration of %1: no residual (%2)</source>
        <translation>%1 的年齡加速：無殘差（%2）</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ModelManagerWindow</name>
    <message>
        <source>The model catalog is empty.</source>
        <translation>模型目錄為空。</translation>
    </message>
    <message>
        <source>The model catalog could not be loaded: %1 Set BENCHTOP_CATALOG to its path.</source>
        <translation>無法載入模型目錄：%1 請將 BENCHTOP_CATALOG 設定為其路徑。</translation>
    </message>
    <message>
        <source>Models — Benchtop</source>
        <translation>模型 — Benchtop</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>下載(&amp;D)</translation>
    </message>
    <message>
        <source>Download the selected catalog model into Benchtop&apos;s store</source>
        <translation>將所選目錄模型下載到 Benchtop 的模型庫</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>繼續(&amp;R)</translation>
    </message>
    <message>
        <source>Continue an unfinished download from where it stopped</source>
        <translation>從中斷處繼續未完成的下載</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the running download; Resume continues it later</source>
        <translation>停止正在進行的下載；「繼續」可稍後接著下載</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <source>Delete the model (or an unfinished download) from Benchtop&apos;s store</source>
        <translation>從 Benchtop 的模型庫中刪除該模型（或未完成的下載）</translation>
    </message>
    <message>
        <source>Re&amp;veal</source>
        <translation>顯示(&amp;V)</translation>
    </message>
    <message>
        <source>Show the model&apos;s folder in the file manager</source>
        <translation>在檔案管理器中顯示模型的資料夾</translation>
    </message>
    <message>
        <source>&amp;Use for New Jobs</source>
        <translation>用於新工作(&amp;U)</translation>
    </message>
    <message>
        <source>New jobs of this task use the selected model</source>
        <translation>此任務的新工作使用所選模型</translation>
    </message>
    <message>
        <source>Import &amp;Folder…</source>
        <translation>匯入資料夾(&amp;F)…</translation>
    </message>
    <message>
        <source>Copy a model folder (Hugging Face layout) into the store</source>
        <translation>將模型資料夾（Hugging Face 佈局）複製到模型庫</translation>
    </message>
    <message>
        <source>Import &amp;Zip…</source>
        <translation>匯入 Zip(&amp;Z)…</translation>
    </message>
    <message>
        <source>Unpack a zipped model folder into the store</source>
        <translation>將壓縮的模型資料夾解壓到模型庫</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>重新整理(&amp;F)</translation>
    </message>
    <message>
        <source>Look at the store and the Hugging Face cache again</source>
        <translation>重新檢視模型庫和 Hugging Face 快取</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>關閉提示</translation>
    </message>
    <message>
        <source>Filter by name, id, repository, family or licence</source>
        <translation>按名稱、ID、倉庫、系列或授權篩選</translation>
    </message>
    <message>
        <source>All tasks</source>
        <translation>所有任務</translation>
    </message>
    <message>
        <source>On this machine</source>
        <translation>本機上</translation>
    </message>
    <message>
        <source>Show only models in the store, the Hugging Face cache or partly downloaded</source>
        <translation>只顯示模型庫、Hugging Face 快取中或部分下載的模型</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>匯入…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>關閉</translation>
    </message>
    <message>
        <source>No file manager could open %1.</source>
        <translation>沒有檔案管理器能開啟 %1。</translation>
    </message>
    <message>
        <source>Reading the model store failed: %1</source>
        <translation>讀取模型庫失敗：%1</translation>
    </message>
    <message>
        <source>1 model</source>
        <translation>1 個模型</translation>
    </message>
    <message>
        <source>%1 models</source>
        <translation>%1 個模型</translation>
    </message>
    <message>
        <source>&lt;b&gt;Store&lt;/b&gt;&amp;nbsp; %1 — empty</source>
        <translation>&lt;b&gt;模型庫&lt;/b&gt;&amp;nbsp; %1 — 空</translation>
    </message>
    <message>
        <source>&lt;b&gt;Store&lt;/b&gt;&amp;nbsp; %1 — %2 in %3</source>
        <translation>&lt;b&gt;模型庫&lt;/b&gt;&amp;nbsp; %1 — %3 中共 %2</translation>
    </message>
    <message>
        <source>, %1 in unfinished downloads</source>
        <translation>，未完成的下載佔 %1</translation>
    </message>
    <message>
        <source> · %1 free of %2 on its volume</source>
        <translation> · 所在卷共 %2，可用 %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Hugging Face cache&lt;/b&gt;&amp;nbsp; %1 — used in place, never modified</source>
        <translation>&lt;b&gt;Hugging Face 快取&lt;/b&gt;&amp;nbsp; %1 — 原地使用，從不修改</translation>
    </message>
    <message>
        <source>none</source>
        <translation>無</translation>
    </message>
    <message>
        <source>&lt;b&gt;Bundled&lt;/b&gt;&amp;nbsp; %1 clock tables shipped with Benchtop in %2</source>
        <translation>&lt;b&gt;內建&lt;/b&gt;&amp;nbsp; Benchtop 在 %2 中附帶 %1 個時鐘表</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>移除(&amp;M)…</translation>
    </message>
    <message>
        <source>Discard Partial</source>
        <translation>丟棄部分下載</translation>
    </message>
    <message>
        <source>%1 (%2) is distributed under: %3.</source>
        <translation>%1（%2）按以下條款分發：%3。</translation>
    </message>
    <message>
        <source>no stated licence</source>
        <translation>未聲明授權</translation>
    </message>
    <message>
        <source>Download it and accept these terms?</source>
        <translation>下載並接受這些條款？</translation>
    </message>
    <message>
        <source>%1 is not in the catalog and has no repository to download from.</source>
        <translation>%1 不在目錄中，也沒有可供下載的倉庫。</translation>
    </message>
    <message>
        <source>Licence — %1</source>
        <translation>授權 — %1</translation>
    </message>
    <message>
        <source>Accept and Download</source>
        <translation>接受並下載</translation>
    </message>
    <message>
        <source>%1 was not downloaded.</source>
        <translation>%1 未下載。</translation>
    </message>
    <message>
        <source>%1 is installed in %2.</source>
        <translation>%1 已安裝到 %2。</translation>
    </message>
    <message>
        <source>%1 could not be downloaded: %2</source>
        <translation>無法下載 %1：%2</translation>
    </message>
    <message>
        <source>The download of %1 was cancelled. Its partial files are kept; Resume continues it.</source>
        <translation>%1 的下載已取消。其部分檔案已保留；「繼續」可接著下載。</translation>
    </message>
    <message>
        <source>Running downloads were cancelled; Resume continues them.</source>
        <translation>正在進行的下載已取消；「繼續」可接著下載。</translation>
    </message>
    <message>
        <source>Discard Download</source>
        <translation>丟棄下載</translation>
    </message>
    <message>
        <source>Discard the unfinished download of %1 (%2 in %3)? A new download starts from zero.</source>
        <translation>丟棄 %1 未完成的下載（%3 中的 %2）？新的下載將從零開始。</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丟棄</translation>
    </message>
    <message>
        <source>The unfinished download of %1 was discarded.</source>
        <translation>已丟棄 %1 未完成的下載。</translation>
    </message>
    <message>
        <source>%1 is in your Hugging Face cache:
%2

Benchtop uses it in place and never deletes from that cache, because other tools (transformers, sentence-transformers) share it. To free the space, use `huggingface-cli delete-cache`.

Show the folder instead?</source>
        <translation>%1 位於您的 Hugging Face 快取中：
%2

Benchtop 原地使用它，且從不刪除該快取中的內容，因為其他工具（transformers、sentence-transformers）也共享它。要釋放空間，請使用 `huggingface-cli delete-cache`。

改為顯示該資料夾？</translation>
    </message>
    <message>
        <source>Model in the Hugging Face Cache</source>
        <translation>Hugging Face 快取中的模型</translation>
    </message>
    <message>
        <source>Reveal in File Manager</source>
        <translation>在檔案管理器中顯示</translation>
    </message>
    <message>
        <source>Remove Model</source>
        <translation>移除模型</translation>
    </message>
    <message>
        <source>Delete %1 from Benchtop&apos;s store? This frees %2.

%3</source>
        <translation>從 Benchtop 的模型庫中刪除 %1？這將釋放 %2。

%3</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>%1 was removed from the store.</source>
        <translation>%1 已從模型庫中移除。</translation>
    </message>
    <message>
        <source>New %1 jobs will use %2.</source>
        <translation>新的 %1 工作將使用 %2。</translation>
    </message>
    <message>
        <source>Import Model Folder</source>
        <translation>匯入模型資料夾</translation>
    </message>
    <message>
        <source>Import Zipped Model</source>
        <translation>匯入壓縮模型</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Zip 壓縮包 (*.zip)</translation>
    </message>
    <message>
        <source>%1 was imported into the store as %2.</source>
        <translation>%1 已作為 %2 匯入模型庫。</translation>
    </message>
    <message>
        <source>Import failed: %1</source>
        <translation>匯入失敗：%1</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在匯入 %1…</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ModelTableModel</name>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名稱</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任務</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>系列</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>授權</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ResultsPane</name>
    <message>
        <source>Results</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Select a job to see its results.</source>
        <translation>選擇一個工作以檢視其結果。</translation>
    </message>
    <message>
        <source>Results — %1</source>
        <translation>結果 — %1</translation>
    </message>
    <message>
        <source>Results — %1 (%2)</source>
        <translation>結果 — %1（%2）</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ServerController</name>
    <message>
        <source>The server stopped while it started.</source>
        <translation>伺服器在啟動過程中停止了。</translation>
    </message>
    <message>
        <source>The server address is empty; use 127.0.0.1 to serve this machine only.</source>
        <translation>伺服器位址為空；使用 127.0.0.1 可僅為本機提供服務。</translation>
    </message>
    <message>
        <source>Serving on %1 reaches beyond this machine, so it needs an API key: choose an API key file in Settings › Server (or use the address 127.0.0.1).</source>
        <translation>在 %1 上提供服務會超出本機範圍，因此需要 API 金鑰：請在「設定 › 伺服器」中選擇 API 金鑰檔案（或使用位址 127.0.0.1）。</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <source>no model to serve: choose a text model or a speech model for the server.</source>
        <translation>沒有可提供服務的模型：請為伺服器選擇一個文字模型或語音模型。</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::SettingsDialog</name>
    <message>
        <source>Benchtop Settings</source>
        <translation>Benchtop 設定</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>計算</translation>
    </message>
    <message>
        <source>Automatic (best available)</source>
        <translation>自動（最佳可用）</translation>
    </message>
    <message>
        <source>Use the fastest usable device: CUDA, then MPS, then the CPU.</source>
        <translation>使用最快的可用裝置：CUDA，然後是 MPS，最後是 CPU。</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>裝置(&amp;D)：</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>fp32 (full precision)</source>
        <translation>fp32（全精度）</translation>
    </message>
    <message>
        <source>fp16 (half)</source>
        <translation>fp16（半精度）</translation>
    </message>
    <message>
        <source>bf16 (bfloat16)</source>
        <translation>bf16（bfloat16）</translation>
    </message>
    <message>
        <source>&amp;Precision:</source>
        <translation>精度(&amp;P)：</translation>
    </message>
    <message>
        <source>Automatic (%1 physical cores)</source>
        <translation>自動（%1 個物理核心）</translation>
    </message>
    <message>
        <source>Intra-op threads for CPU work. Automatic uses one per physical core.</source>
        <translation>CPU 計算的運算元內執行緒數。自動時每個物理核心一個執行緒。</translation>
    </message>
    <message>
        <source>CPU &amp;threads:</source>
        <translation>CPU 執行緒(&amp;T)：</translation>
    </message>
    <message>
        <source>Resolves to:</source>
        <translation>解析為：</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Save results in a &quot;%1&quot; folder next to each input file</source>
        <translation>將結果儲存在每個輸入檔案旁的「%1」資料夾中</translation>
    </message>
    <message>
        <source>Folder for all results</source>
        <translation>所有結果的資料夾</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>瀏覽…</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>應用程式</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系統語言</translation>
    </message>
    <message>
        <source>Takes effect the next time Benchtop starts</source>
        <translation>下次啟動 Benchtop 時生效</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>語言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Keep the job list when Benchtop restarts</source>
        <translation>Benchtop 重啟時保留工作列表(&amp;K)</translation>
    </message>
    <message>
        <source>Finished jobs are shown again at the next start, read from their result folders</source>
        <translation>已完成的工作會在下次啟動時再次顯示，從其結果資料夾讀取</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Notify when a job that ran longer than %n seconds finishes</source>
        <translation>
            <numerusform>執行超過 %n 秒的工作完成時發出通知(&amp;N)</numerusform>
        </translation>
    </message>
    <message>
        <source>Start exported CSV files with a UTF-8 &amp;byte order mark (for Excel)</source>
        <translation>匯出的 CSV 檔案以 UTF-8 位元組順序標記開頭（適用於 Excel）(&amp;B)</translation>
    </message>
    <message>
        <source>Excel reads CSV files without it in the system&apos;s legacy code page, which garbles non-ASCII sample names; other programs ignore the mark</source>
        <translation>沒有它時，Excel 會以系統的舊內碼表讀取 CSV 檔案，導致非 ASCII 的樣本名稱亂碼；其他程式會忽略該標記</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>一般(&amp;G)</translation>
    </message>
    <message>
        <source>Workloads</source>
        <translation>工作負載</translation>
    </message>
    <message>
        <source>&amp;Workloads</source>
        <translation>工作負載(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Models</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>伺服器(&amp;S)</translation>
    </message>
    <message>
        <source>Folder for results</source>
        <translation>結果資料夾</translation>
    </message>
    <message>
        <source>Hugging Face</source>
        <translation>Hugging Face</translation>
    </message>
    <message>
        <source>Default (HF_ENDPOINT or huggingface.co)</source>
        <translation>預設（HF_ENDPOINT 或 huggingface.co）</translation>
    </message>
    <message>
        <source>%1 (mirror)</source>
        <translation>%1（映象）</translation>
    </message>
    <message>
        <source>Where models are downloaded from; type the address of another mirror if you use one</source>
        <translation>下載模型的來源；如果您使用其他映象，請輸入其位址</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>端點(&amp;E)：</translation>
    </message>
    <message>
        <source>hf_… (for gated and private models)</source>
        <translation>hf_…（用於受限和私有模型）</translation>
    </message>
    <message>
        <source>Access &amp;token:</source>
        <translation>存取權杖(&amp;T)：</translation>
    </message>
    <message>
        <source>Kept in the system keychain; where there is none, in %1, the file huggingface_hub reads. HF_TOKEN, when set, is used instead of that file.</source>
        <translation>儲存在系統鑰匙串中；沒有鑰匙串時，儲存在 %1（huggingface_hub 讀取的檔案）中。設定了 HF_TOKEN 時，將使用它而不是該檔案。</translation>
    </message>
    <message>
        <source>Kept in %1, the file huggingface_hub reads. HF_TOKEN, when set, is used instead.</source>
        <translation>儲存在 %1（huggingface_hub 讀取的檔案）中。設定了 HF_TOKEN 時，將使用它。</translation>
    </message>
    <message>
        <source>&amp;Offline: never contact the hub, use only models already here</source>
        <translation>離線(&amp;O)：從不連線模型中心，只使用本機已有的模型</translation>
    </message>
    <message>
        <source>As HF_HUB_OFFLINE=1; downloads fail at once with a message instead of waiting for the network</source>
        <translation>等同於 HF_HUB_OFFLINE=1；下載會立即失敗並給出訊息，而不是等待網路</translation>
    </message>
    <message>
        <source>Local server</source>
        <translation>本機伺服器</translation>
    </message>
    <message>
        <source>127.0.0.1 serves this machine only; any other address needs an API key file.</source>
        <translation>127.0.0.1 僅為本機提供服務；其他任何位址都需要 API 金鑰檔案。</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>位址(&amp;A)：</translation>
    </message>
    <message>
        <source>Any free port</source>
        <translation>任意空閒埠</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>埠(&amp;P)：</translation>
    </message>
    <message>
        <source>None (loopback addresses only)</source>
        <translation>無（僅限迴環位址）</translation>
    </message>
    <message>
        <source>A file whose first line is the key clients send as &quot;Authorization: Bearer KEY&quot;.</source>
        <translation>一個檔案，其第一行是客戶端以「Authorization: Bearer KEY」傳送的金鑰。</translation>
    </message>
    <message>
        <source>API &amp;key file:</source>
        <translation>API 金鑰檔案(&amp;K)：</translation>
    </message>
    <message>
        <source>API key file</source>
        <translation>API 金鑰檔案</translation>
    </message>
    <message>
        <source>Models kept loaded</source>
        <translation>保持載入的模型</translation>
    </message>
    <message>
        <source>None (no /v1/embeddings)</source>
        <translation>無（不提供 /v1/embeddings）</translation>
    </message>
    <message>
        <source>A catalog id, Hugging Face repo id or folder of a BERT-family encoder.</source>
        <translation>BERT 系列編碼器的目錄 ID、Hugging Face 倉庫 ID 或資料夾。</translation>
    </message>
    <message>
        <source>&amp;Text model:</source>
        <translation>文字模型(&amp;T)：</translation>
    </message>
    <message>
        <source>None (no /v1/audio/transcriptions)</source>
        <translation>無（不提供 /v1/audio/transcriptions）</translation>
    </message>
    <message>
        <source>A catalog id, Hugging Face repo id or folder of a Whisper model.</source>
        <translation>Whisper 模型的目錄 ID、Hugging Face 倉庫 ID 或資料夾。</translation>
    </message>
    <message>
        <source>S&amp;peech model:</source>
        <translation>語音模型(&amp;P)：</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>請求</translation>
    </message>
    <message>
        <source>Requests admitted at once (queued or running); more are answered 429.</source>
        <translation>同時接收的請求數（排隊或執行中）；超出的請求將返回 429。</translation>
    </message>
    <message>
        <source>&amp;Max queue:</source>
        <translation>最大佇列(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Batch requests together (requests for one model share device batches)</source>
        <translation>合併批處理請求(&amp;B)（同一模型的請求共享裝置批次）</translation>
    </message>
    <message>
        <source>Server › Local Server starts it with the device and precision of the General page.&lt;br&gt;Endpoints: POST /v1/embeddings · /v1/audio/transcriptions · /v1/methylation/predict&lt;br&gt;GET /health · /v1/models · /metrics</source>
        <translation>「伺服器 › 本機伺服器」使用「一般」頁面的裝置和精度啟動伺服器。&lt;br&gt;端點：POST /v1/embeddings · /v1/audio/transcriptions · /v1/methylation/predict&lt;br&gt;GET /health · /v1/models · /metrics</translation>
    </message>
    <message>
        <source>The Hugging Face token could not be stored: %1</source>
        <translation>無法儲存 Hugging Face 權杖：%1</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::SingleInstance</name>
    <message>
        <source>another Benchtop has just started</source>
        <translation>另一個 Benchtop 剛剛啟動</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::TextResultView</name>
    <message>
        <source>Search the texts… (Enter)</source>
        <translation>搜尋文字…（Enter）</translation>
    </message>
    <message>
        <source>Search the texts</source>
        <translation>搜尋文字</translation>
    </message>
    <message>
        <source>top </source>
        <translation>前 </translation>
    </message>
    <message>
        <source>How many texts to list</source>
        <translation>要列出的文字數量</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜尋</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>匯出</translation>
    </message>
    <message>
        <source>Search hits as CSV…</source>
        <translation>搜尋結果匯出為 CSV…</translation>
    </message>
    <message>
        <source>Export search hits</source>
        <translation>匯出搜尋結果</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 檔案 (*.csv)</translation>
    </message>
    <message>
        <source>2-D map as CSV…</source>
        <translation>二維圖匯出為 CSV…</translation>
    </message>
    <message>
        <source>Export 2-D map</source>
        <translation>匯出二維圖</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>餘弦</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Search hits</source>
        <translation>搜尋結果</translation>
    </message>
    <message>
        <source>texts</source>
        <translation>條文字</translation>
    </message>
    <message>
        <source>search hits</source>
        <translation>條搜尋結果</translation>
    </message>
    <message>
        <source>selected</source>
        <translation>已選</translation>
    </message>
    <message>
        <source>2-D map of the texts</source>
        <translation>文字的二維圖</translation>
    </message>
    <message>
        <source>Results appear here when the job finishes.</source>
        <translation>工作完成後，結果將顯示在此處。</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失敗：%1</translation>
    </message>
    <message>
        <source>Cancelled; partial results were removed.</source>
        <translation>已取消；部分結果已刪除。</translation>
    </message>
    <message>
        <source>Embedding… search and map appear when the job finishes.</source>
        <translation>正在嵌入… 工作完成後將顯示搜尋和圖。</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在開啟 %1…</translation>
    </message>
    <message>
        <source>Searching for “%1”…</source>
        <translation>正在搜尋「%1」…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜尋…</translation>
    </message>
    <message>
        <source>Type a query and press Enter to search the texts.</source>
        <translation>輸入查詢並按 Enter 搜尋文字。</translation>
    </message>
    <message>
        <source>Cannot open the results: %1</source>
        <translation>無法開啟結果：%1</translation>
    </message>
    <message>
        <source>The text</source>
        <translation>該文字</translation>
    </message>
    <message>
        <source>The %1 texts</source>
        <translation>這 %1 條文字</translation>
    </message>
    <message>
        <source>%1 closest to “%2” by cosine similarity.</source>
        <translation>按餘弦相似度與「%2」最接近的 %1 條。</translation>
    </message>
    <message>
        <source>Search failed: %1</source>
        <translation>搜尋失敗：%1</translation>
    </message>
    <message>
        <source>PC1 · %1 %</source>
        <translation>PC1 · %1 %</translation>
    </message>
    <message>
        <source>PC2 · %1 %</source>
        <translation>PC2 · %1 %</translation>
    </message>
    <message>
        <source>PCA of a random sample of %1 of %2 embeddings (axes fitted on the sample; % = share of variance). Hover a point to read its text.</source>
        <translation>對 %2 個嵌入中隨機抽取的 %1 個樣本進行 PCA（座標軸基於樣本擬合；% = 方差佔比）。將滑鼠懸停在點上可檢視其文字。</translation>
    </message>
    <message>
        <source>PCA of all %1 embeddings (% = share of variance). Hover a point to read its text.</source>
        <translation>對全部 %1 個嵌入進行 PCA（% = 方差佔比）。將滑鼠懸停在點上可檢視其文字。</translation>
    </message>
    <message>
        <source>%1 texts</source>
        <translation>%1 條文字</translation>
    </message>
    <message>
        <source>%1 dims</source>
        <translation>%1 維</translation>
    </message>
    <message>
        <source>No texts yet</source>
        <translation>尚無文字</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>模型 %1</translation>
    </message>
    <message>
        <source>%1
pooling %2%3, max %4 tokens</source>
        <translation>%1
池化 %2%3，最多 %4 個詞元</translation>
    </message>
    <message>
        <source> + normalize</source>
        <translation> + 正規化</translation>
    </message>
    <message>
        <source>%1 texts/s</source>
        <translation>%1 條文字/秒</translation>
    </message>
    <message>
        <source> · %1 tokens/s</source>
        <translation> · %1 詞元/秒</translation>
    </message>
    <message>
        <source> · padding %1 %</source>
        <translation> · 填充 %1 %</translation>
    </message>
    <message>
        <source>Device time of the run: texts and tokens per second; padding = real tokens / padded tokens over the batches.</source>
        <translation>本次執行的裝置時間：每秒文字數和詞元數；填充 = 各批次中真實詞元數 / 填充後詞元數。</translation>
    </message>
    <message>
        <source>%1

row %2 · %3</source>
        <translation>%1

第 %2 行 · %3</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>無法寫入 %1：%2</translation>
    </message>
    <message>
        <source>Exported %1 search hits to %2.</source>
        <translation>已將 %1 條搜尋結果匯出到 %2。</translation>
    </message>
    <message>
        <source>Nothing to export yet.</source>
        <translation>尚無可匯出的內容。</translation>
    </message>
    <message>
        <source>Exported the map of %1 texts to %2.</source>
        <translation>已將 %1 條文字的圖匯出到 %2。</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::TranscriptView</name>
    <message>
        <source>The job transcribed several files; choose which transcript to show</source>
        <translation>該工作轉錄了多個檔案；請選擇要顯示的轉錄文字</translation>
    </message>
    <message>
        <source>Search the transcript…</source>
        <translation>搜尋轉錄文字…</translation>
    </message>
    <message>
        <source>Search the transcript</source>
        <translation>搜尋轉錄文字</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>複製</translation>
    </message>
    <message>
        <source>Copy the selected segments (or all) with their times</source>
        <translation>複製所選片段（或全部）及其時間</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>匯出</translation>
    </message>
    <message>
        <source>Save the transcript as text, subtitles or JSON</source>
        <translation>將轉錄文字儲存為文字、字幕或 JSON</translation>
    </message>
    <message>
        <source>Text (.txt)</source>
        <translation>文字 (.txt)</translation>
    </message>
    <message>
        <source>SubRip subtitles (.srt)</source>
        <translation>SubRip 字幕 (.srt)</translation>
    </message>
    <message>
        <source>WebVTT subtitles (.vtt)</source>
        <translation>WebVTT 字幕 (.vtt)</translation>
    </message>
    <message>
        <source>JSON with segments and words (.json)</source>
        <translation>包含片段和單詞的 JSON (.json)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Transcript segments</source>
        <translation>轉錄片段</translation>
    </message>
    <message>
        <source>Copy Selected</source>
        <translation>複製所選</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失敗：%1</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Transcribing… %1 % of %2 s of audio</source>
        <translation>正在轉錄… %2 秒音訊的 %1 %</translation>
    </message>
    <message>
        <source>Transcribing…</source>
        <translation>正在轉錄…</translation>
    </message>
    <message>
        <source>The job wrote no files.</source>
        <translation>該工作未寫出任何檔案。</translation>
    </message>
    <message>
        <source>The job wrote no transcript JSON (add json to the speech formats to see the segments here).</source>
        <translation>該工作未寫出轉錄 JSON（在語音格式中新增 json 即可在此處檢視片段）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Word timings&lt;/b&gt;&lt;table cellspacing=&apos;4&apos;&gt;</source>
        <translation>&lt;b&gt;單詞時間&lt;/b&gt;&lt;table cellspacing=&apos;4&apos;&gt;</translation>
    </message>
    <message>
        <source>avg log-probability %1, no-speech probability %2</source>
        <translation>平均對數機率 %1，無語音機率 %2</translation>
    </message>
    <message>
        <source>%1 of audio</source>
        <translation>%1 音訊</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>language %1 (%2 %)</source>
        <translation>語言 %1（%2 %）</translation>
    </message>
    <message>
        <source>language %1 (given)</source>
        <translation>語言 %1（指定）</translation>
    </message>
    <message numerus="yes">
        <source>%n segment(s)</source>
        <translation>
            <numerusform>%n 個片段</numerusform>
        </translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>模型 %1</translation>
    </message>
    <message>
        <source>%1 of %2 match</source>
        <translation>%2 中的 %1 個匹配</translation>
    </message>
    <message>
        <source>There is no transcript to export.</source>
        <translation>沒有可匯出的轉錄文字。</translation>
    </message>
    <message>
        <source>%1: cannot move the exported file into place (%2).</source>
        <translation>%1：無法將匯出的檔案移動到位（%2）。</translation>
    </message>
    <message>
        <source>%1 files (*.%2)</source>
        <translation>%1 檔案 (*.%2)</translation>
    </message>
    <message>
        <source>Export Transcript</source>
        <translation>匯出轉錄文字</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>匯出失敗：%1</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已匯出 %1</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::WorkloadOptionsPage</name>
    <message>
        <source>Files: %1</source>
        <translation>檔案：%1</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>預設模型</translation>
    </message>
    <message>
        <source>Catalog id, Hugging Face repository id or model folder for new %1 jobs; the model manager&apos;s &quot;Use for New Jobs&quot; sets it too.</source>
        <translation>新 %1 工作使用的目錄 ID、Hugging Face 倉庫 ID 或模型資料夾；模型管理器的「用於新工作」也會設定它。</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>預設</translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation>%1（預設）</translation>
    </message>
    <message>
        <source>Default (%1)</source>
        <translation>預設（%1）</translation>
    </message>
    <message>
        <source>Default: %1</source>
        <translation>預設：%1</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>瀏覽…</translation>
    </message>
    <message>
        <source>
Values: %1</source>
        <translation>
取值：%1</translation>
    </message>
    <message>
        <source>
Command line: --%1</source>
        <translation>
命令列：--%1</translation>
    </message>
    <message>
        <source>This task has no settings.</source>
        <translation>此任務沒有設定。</translation>
    </message>
</context>
</TS>
