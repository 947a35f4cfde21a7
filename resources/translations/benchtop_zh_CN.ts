<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <source>%1 clock coefficient tables ship with Benchtop (%2).</source>
        <translation>Benchtop 附带 %1 个时钟系数表（%2）。</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Third-party data&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;第三方数据&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The clock coefficient tables are published coefficients redistributed by biolearn (github.com/bio-learn/biolearn) under the BSD-3-Clause licence below; the Horvath goldstandard2 reference table comes from methylclock (MIT, Copyright (c) 2019 Bioinformatic Research Group in Epidemiology). Usage: PhenoAge, Skin&amp;amp;Blood and DNAmTL need the owner&apos;s licence for commercial use; DunedinPACE is for research use only. See THIRD_PARTY_NOTICES.md.</source>
        <translation>时钟系数表是由 biolearn（github.com/bio-learn/biolearn）依据下方 BSD-3-Clause 许可证再分发的已发表系数；Horvath goldstandard2 参考表来自 methylclock（MIT，Copyright (c) 2019 Bioinformatic Research Group in Epidemiology）。使用条款：PhenoAge、Skin&amp;amp;Blood 和 DNAmTL 的商业用途需要权利人的许可；DunedinPACE 仅限研究用途。参见 THIRD_PARTY_NOTICES.md。</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Licence&lt;/b&gt;&lt;br&gt;Benchtop is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License, version 3 or any later version (GPL-3.0-or-later). It comes with ABSOLUTELY NO WARRANTY.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Linked components&lt;/b&gt;&lt;br&gt;Qt 6 (LGPL-3.0; Qt Charts GPL-3.0) · libtorch (BSD-3-Clause) · FFmpeg (LGPL-2.1-or-later) · libcurl (curl licence) · OpenSSL (Apache-2.0) · zlib (Zlib) · utf8proc (MIT) · nlohmann/json (MIT) · CLI11 (BSD-3-Clause). Models keep the licences their catalog entries record. Help › Licences and Notices shows the full texts.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;许可证&lt;/b&gt;&lt;br&gt;Benchtop 是自由软件：您可以依据 GNU 通用公共许可证第 3 版或（您选择的）任何更新版本（GPL-3.0-or-later）的条款再分发和/或修改它。它不提供任何担保。&lt;/p&gt;&lt;p&gt;&lt;b&gt;链接的组件&lt;/b&gt;&lt;br&gt;Qt 6（LGPL-3.0；Qt Charts GPL-3.0）· libtorch（BSD-3-Clause）· FFmpeg（LGPL-2.1-or-later）· libcurl（curl 许可证）· OpenSSL（Apache-2.0）· zlib（Zlib）· utf8proc（MIT）· nlohmann/json（MIT）· CLI11（BSD-3-Clause）。模型沿用其目录条目记录的许可证。“帮助 › 许可证与声明”显示完整文本。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Benchtop %1&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Benchtop %1&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Local deep-learning inference for methylation clocks, text embeddings and speech recognition.&lt;/p&gt;</source>
        <translation>&lt;p&gt;用于甲基化时钟、文本嵌入和语音识别的本地深度学习推理。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Qt %1 · libtorch %2 (%3)&lt;/p&gt;</source>
        <translation>&lt;p&gt;Qt %1 · libtorch %2（%3）&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;CPU: %1 (%2 cores / %3 threads)&lt;br&gt;Features: %4&lt;/p&gt;</source>
        <translation>&lt;p&gt;CPU：%1（%2 核 / %3 线程）&lt;br&gt;特性：%4&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Devices&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;设备&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;</translation>
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
        <translation>关于 Benchtop</translation>
    </message>
    <message>
        <source>&amp;Licences...</source>
        <translation>许可证(&amp;L)...</translation>
    </message>
    <message>
        <source>Licences and Notices</source>
        <translation>许可证与声明</translation>
    </message>
    <message>
        <source>Benchtop (GPL-3.0-or-later)</source>
        <translation>Benchtop（GPL-3.0-or-later）</translation>
    </message>
    <message>
        <source>Third-party components and data</source>
        <translation>第三方组件和数据</translation>
    </message>
    <message>
        <source>the keychain did not answer</source>
        <translation>钥匙串没有响应</translation>
    </message>
    <message>
        <source>the system keychain</source>
        <translation>系统钥匙串</translation>
    </message>
    <message>
        <source>%1 (the keychain: %2)</source>
        <translation>%1（钥匙串：%2）</translation>
    </message>
    <message>
        <source>(no input)</source>
        <translation>（无输入）</translation>
    </message>
    <message>
        <source> (+%1 more)</source>
        <translation> （另有 %1 个）</translation>
    </message>
    <message>
        <source>Research use only: not for clinical, diagnostic or commercial use.</source>
        <translation>仅限研究用途：不得用于临床、诊断或商业用途。</translation>
    </message>
    <message>
        <source>Commercial use needs a licence from the rights holder.</source>
        <translation>商业用途需要获得权利人的许可。</translation>
    </message>
    <message>
        <source>The terms of use are unclear upstream; check them before relying on this model.</source>
        <translation>上游的使用条款不明确；依赖此模型前请先核实。</translation>
    </message>
    <message>
        <source>The upstream source publishes no licence, so reuse rights are unclear.</source>
        <translation>上游来源未公布许可证，因此再使用的权利不明确。</translation>
    </message>
    <message>
        <source>The licence (%1) does not allow commercial use.</source>
        <translation>该许可证（%1）不允许商业用途。</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>时钟</translation>
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
        <translation>未安装</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Starting download…</source>
        <translation>正在开始下载…</translation>
    </message>
    <message>
        <source>Downloading %1</source>
        <translation>正在下载 %1</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>Installed (bundled)</source>
        <translation>已安装（内置）</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <source>In HF cache (used in place)</source>
        <translation>在 HF 缓存中（原地使用）</translation>
    </message>
    <message>
        <source>Incomplete: %1</source>
        <translation>不完整：%1</translation>
    </message>
    <message>
        <source>Partial (resumable) · %1 of %2</source>
        <translation>部分下载（可继续）· %2 中的 %1</translation>
    </message>
    <message>
        <source>unknown size</source>
        <translation>大小未知</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source> · used for new jobs</source>
        <translation> · 用于新作业</translation>
    </message>
    <message>
        <source>File %1 of %2: %3
%4 of %5</source>
        <translation>第 %1 个文件，共 %2 个：%3
%5 中的 %4</translation>
    </message>
    <message>
        <source>&lt;i&gt;Research use only.&lt;/i&gt;</source>
        <translation>&lt;i&gt;仅限研究用途。&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Usage: %1</source>
        <translation>使用条款：%1</translation>
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
        <translation>表观遗传时钟</translation>
    </message>
    <message>
        <source>CSV, TSV, GEO series matrix (also .gz)</source>
        <translation>CSV、TSV、GEO 系列矩阵（也可为 .gz）</translation>
    </message>
    <message>
        <source>samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Clocks</source>
        <translation>时钟</translation>
    </message>
    <message>
        <source>all or a comma list of clock ids (e.g. horvath2013,phenoage2018)</source>
        <translation>all 或以逗号分隔的时钟 ID 列表（例如 horvath2013,phenoage2018）</translation>
    </message>
    <message>
        <source>Sample sheet</source>
        <translation>样本表</translation>
    </message>
    <message>
        <source>sample sheet CSV with sample name/id, age, sex</source>
        <translation>样本表 CSV，含样本名称/ID、年龄、性别</translation>
    </message>
    <message>
        <source>Minimum coverage</source>
        <translation>最低覆盖率</translation>
    </message>
    <message>
        <source>minimum fraction (0.8) or percentage (80%) of a clock&apos;s CpGs present in the matrix</source>
        <translation>矩阵中须包含的时钟 CpG 的最低比例（0.8）或百分比（80%）</translation>
    </message>
    <message>
        <source>M-values</source>
        <translation>M 值</translation>
    </message>
    <message>
        <source>the matrix holds M-values; convert them to beta values</source>
        <translation>矩阵中为 M 值；将其转换为 beta 值</translation>
    </message>
    <message>
        <source>Missing CpGs</source>
        <translation>缺失的 CpG</translation>
    </message>
    <message>
        <source>how missing CpGs are filled: reference (clock reference values), cohort-mean, none</source>
        <translation>缺失 CpG 的填补方式：reference（时钟参考值）、cohort-mean（队列均值）、none（不填补）</translation>
    </message>
    <message>
        <source>Zhang scaling</source>
        <translation>Zhang 标准化</translation>
    </message>
    <message>
        <source>what the Zhang 2019 clocks standardise over: all probes of the sample or the clock&apos;s probes</source>
        <translation>Zhang 2019 时钟的标准化范围：样本的全部探针，或时钟自身的探针</translation>
    </message>
    <message>
        <source>Predictor bundles</source>
        <translation>预测器包</translation>
    </message>
    <message>
        <source>Excel-friendly CSV</source>
        <translation>适用于 Excel 的 CSV</translation>
    </message>
    <message>
        <source>start predictions.csv with a UTF-8 byte order mark, so Excel reads non-ASCII sample names correctly (the window sets it from Settings &gt; General)</source>
        <translation>在 predictions.csv 开头写入 UTF-8 字节顺序标记，使 Excel 能正确读取非 ASCII 样本名称（窗口中由“设置 › 常规”决定）</translation>
    </message>
    <message>
        <source>Clock tables folder</source>
        <translation>时钟系数表文件夹</translation>
    </message>
    <message>
        <source>read clock coefficient tables from this folder instead of the catalog</source>
        <translation>从此文件夹读取时钟系数表，而不是从目录获取</translation>
    </message>
    <message>
        <source>Speech (Whisper)</source>
        <translation>语音（Whisper）</translation>
    </message>
    <message>
        <source>wav, flac, mp3, ogg, opus, m4a, aac; video: mp4, webm, mkv, mov</source>
        <translation>wav、flac、mp3、ogg、opus、m4a、aac；视频：mp4、webm、mkv、mov</translation>
    </message>
    <message>
        <source>audio s</source>
        <translation>音频秒</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>language code (en, zh, ...) or auto</source>
        <translation>语言代码（en、zh 等）或 auto（自动）</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>transcribe, or translate into English</source>
        <translation>transcribe（转录），或 translate（翻译为英文）</translation>
    </message>
    <message>
        <source>Word timestamps</source>
        <translation>逐词时间戳</translation>
    </message>
    <message>
        <source>word-level timestamps</source>
        <translation>词级时间戳</translation>
    </message>
    <message>
        <source>Beam size</source>
        <translation>束宽</translation>
    </message>
    <message>
        <source>beam search width (default greedy)</source>
        <translation>束搜索宽度（默认贪心解码）</translation>
    </message>
    <message>
        <source>Best of</source>
        <translation>候选数</translation>
    </message>
    <message>
        <source>candidates sampled at non-zero temperature</source>
        <translation>非零温度下采样的候选数</translation>
    </message>
    <message>
        <source>Patience</source>
        <translation>耐心系数</translation>
    </message>
    <message>
        <source>beam search patience (faster-whisper&apos;s)</source>
        <translation>束搜索耐心系数（同 faster-whisper）</translation>
    </message>
    <message>
        <source>Temperatures</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>temperatures tried in turn, comma-separated</source>
        <translation>依次尝试的温度，以逗号分隔</translation>
    </message>
    <message>
        <source>Temperature fallback</source>
        <translation>温度回退</translation>
    </message>
    <message>
        <source>retry a window at the next temperature when it fails the thresholds</source>
        <translation>窗口未达阈值时以下一个温度重试</translation>
    </message>
    <message>
        <source>Condition on previous text</source>
        <translation>以前文为条件</translation>
    </message>
    <message>
        <source>give the decoder the previous window&apos;s text as prompt</source>
        <translation>将上一窗口的文本作为提示交给解码器</translation>
    </message>
    <message>
        <source>Compression ratio threshold</source>
        <translation>压缩比阈值</translation>
    </message>
    <message>
        <source>gzip ratio above which a window is decoded again (none = off)</source>
        <translation>gzip 压缩比高于此值时重新解码该窗口（none = 关闭）</translation>
    </message>
    <message>
        <source>Log-probability threshold</source>
        <translation>对数概率阈值</translation>
    </message>
    <message>
        <source>average log-probability below which a window is decoded again (none = off)</source>
        <translation>平均对数概率低于此值时重新解码该窗口（none = 关闭）</translation>
    </message>
    <message>
        <source>No-speech threshold</source>
        <translation>无语音阈值</translation>
    </message>
    <message>
        <source>no-speech probability above which a silent window is skipped (none = off)</source>
        <translation>无语音概率高于此值时跳过静音窗口（none = 关闭）</translation>
    </message>
    <message>
        <source>Initial prompt</source>
        <translation>初始提示</translation>
    </message>
    <message>
        <source>text given to the decoder before the first window</source>
        <translation>在第一个窗口之前交给解码器的文本</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>random seed for sampling at non-zero temperature</source>
        <translation>非零温度采样时使用的随机种子</translation>
    </message>
    <message>
        <source>Files per batch</source>
        <translation>每批文件数</translation>
    </message>
    <message>
        <source>with --batch-files: how many files share encoder and decoder forwards</source>
        <translation>配合 --batch-files：多少个文件共享编码器和解码器的前向计算</translation>
    </message>
    <message>
        <source>Output formats</source>
        <translation>输出格式</translation>
    </message>
    <message>
        <source>txt,srt,vtt,json,tsv or all</source>
        <translation>txt、srt、vtt、json、tsv 或 all（全部）</translation>
    </message>
    <message>
        <source>Text embeddings</source>
        <translation>文本嵌入</translation>
    </message>
    <message>
        <source>txt (one text per line), csv/tsv (a column), jsonl (a field)</source>
        <translation>txt（每行一条文本）、csv/tsv（某一列）、jsonl（某一字段）</translation>
    </message>
    <message>
        <source>texts</source>
        <translation>条文本</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>the CSV/TSV column that holds the texts</source>
        <translation>存放文本的 CSV/TSV 列</translation>
    </message>
    <message>
        <source>JSONL field</source>
        <translation>JSONL 字段</translation>
    </message>
    <message>
        <source>the JSONL field that holds the texts</source>
        <translation>存放文本的 JSONL 字段</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>dense,sparse,colbert (sparse and colbert need a BGE-M3 model)</source>
        <translation>dense、sparse、colbert（sparse 和 colbert 需要 BGE-M3 模型）</translation>
    </message>
    <message>
        <source>Maximum tokens</source>
        <translation>最大词元数</translation>
    </message>
    <message>
        <source>truncate texts to N tokens</source>
        <translation>将文本截断为 N 个词元</translation>
    </message>
    <message>
        <source>Stored precision</source>
        <translation>存储精度</translation>
    </message>
    <message>
        <source>precision of the stored vectors: float32 or float16</source>
        <translation>所存向量的精度：float32 或 float16</translation>
    </message>
    <message>
        <source>TorchScript predictor bundle or CpGPT model (folder, .zip or model-store id); repeatable</source>
        <translation>TorchScript 预测器包或 CpGPT 模型（文件夹、.zip 或模型库 ID）；可重复</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ActionDelegate</name>
    <message>
        <source>Open results</source>
        <translation>打开结果</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ChartsDock</name>
    <message>
        <source>Live hardware</source>
        <translation>实时硬件</translation>
    </message>
    <message>
        <source>GPU: checking…</source>
        <translation>GPU：检测中…</translation>
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
        <translation>内存</translation>
    </message>
    <message>
        <source>GiB</source>
        <translation>GiB</translation>
    </message>
    <message>
        <source>Process RAM</source>
        <translation>进程内存</translation>
    </message>
    <message>
        <source>GPU memory</source>
        <translation>GPU 显存</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>吞吐量</translation>
    </message>
    <message>
        <source>items/s</source>
        <translation>项/秒</translation>
    </message>
    <message>
        <source>Running jobs</source>
        <translation>运行中的作业</translation>
    </message>
    <message>
        <source>Real-time factor</source>
        <translation>实时因子</translation>
    </message>
    <message>
        <source>s per media s</source>
        <translation>秒/媒体秒</translation>
    </message>
    <message>
        <source>Audio/video jobs</source>
        <translation>音视频作业</translation>
    </message>
    <message>
        <source>Real-time factor of the running audio/video jobs (speech): processing seconds per second of media (lower is faster; 0.05 = 20× faster than real time).</source>
        <translation>运行中音视频作业（语音）的实时因子：每秒媒体所需的处理秒数（越低越快；0.05 = 比实时快 20 倍）。</translation>
    </message>
    <message>
        <source>Server requests</source>
        <translation>服务器请求</translation>
    </message>
    <message>
        <source>req</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Answered/s</source>
        <translation>已应答/秒</translation>
    </message>
    <message>
        <source>In flight</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>The local server: requests answered per second and requests admitted but not yet answered.</source>
        <translation>本地服务器：每秒应答的请求数，以及已接收但尚未应答的请求数。</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>检测中…</translation>
    </message>
    <message>
        <source>RTF –</source>
        <translation>RTF –</translation>
    </message>
    <message>
        <source>RTF %1 (%2× real time)</source>
        <translation>RTF %1（实时的 %2 倍速）</translation>
    </message>
    <message>
        <source>RTF %1 (%2× slower than real time)</source>
        <translation>RTF %1（比实时慢 %2 倍）</translation>
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
        <translation>GPU 遥测不可用：%1</translation>
    </message>
    <message>
        <source>%1 backend: %2</source>
        <translation>%1 后端：%2</translation>
    </message>
    <message>
        <source>Real-time factor: %1</source>
        <translation>实时因子：%1</translation>
    </message>
    <message>
        <source>No samples yet.</source>
        <translation>尚无采样。</translation>
    </message>
    <message>
        <source>CPU %1 %</source>
        <translation>CPU %1 %</translation>
    </message>
    <message>
        <source>Process RAM %1 GiB</source>
        <translation>进程内存 %1 GiB</translation>
    </message>
    <message>
        <source>, GPU %1 %</source>
        <translation>，GPU %1 %</translation>
    </message>
    <message>
        <source>, GPU memory %1 GiB</source>
        <translation>，GPU 显存 %1 GiB</translation>
    </message>
    <message>
        <source>Running jobs: %1 %2/s</source>
        <translation>运行中的作业：%1 %2/秒</translation>
    </message>
    <message>
        <source>items</source>
        <translation>项</translation>
    </message>
    <message>
        <source>No job running.</source>
        <translation>没有运行中的作业。</translation>
    </message>
    <message>
        <source>No speech job running.</source>
        <translation>没有运行中的语音作业。</translation>
    </message>
    <message>
        <source>%1 requests answered per second, %2 in flight</source>
        <translation>每秒应答 %1 个请求，%2 个处理中</translation>
    </message>
    <message>
        <source>The local server is off.</source>
        <translation>本地服务器已关闭。</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ClusterController</name>
    <message>
        <source> (+%1 more)</source>
        <translation> （另有 %1 个）</translation>
    </message>
    <message>
        <source>Slurm did not take the submission.</source>
        <translation>Slurm 未接受此次提交。</translation>
    </message>
    <message>
        <source>%1

The scripts are in %2.</source>
        <translation>%1

脚本位于 %2。</translation>
    </message>
    <message>
        <source>Submitted %1 to Slurm: array job %2 (%3 parts), merge job %4</source>
        <translation>已将 %1 提交到 Slurm：数组作业 %2（%3 个分片），合并作业 %4</translation>
    </message>
    <message>
        <source>The submission could not be cancelled.</source>
        <translation>无法取消此次提交。</translation>
    </message>
    <message>
        <source>Cancelling %1 on Slurm…</source>
        <translation>正在取消 Slurm 上的 %1…</translation>
    </message>
    <message>
        <source>The failed parts were not submitted again.</source>
        <translation>失败的分片未重新提交。</translation>
    </message>
    <message>
        <source>No failed parts to resubmit.</source>
        <translation>没有需要重新提交的失败分片。</translation>
    </message>
    <message>
        <source>Resubmitted part(s) %1 of %2 as job %3; merge job %4</source>
        <translation>已将 %2 的分片 %1 重新提交为作业 %3；合并作业 %4</translation>
    </message>
    <message>
        <source>%1/%2 parts done</source>
        <translation>已完成 %1/%2 个分片</translation>
    </message>
    <message>
        <source>Slurm</source>
        <translation>Slurm</translation>
    </message>
    <message>
        <source>array job %1 (%2 parts), merge job %3</source>
        <translation>数组作业 %1（%2 个分片），合并作业 %3</translation>
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
        <translation>sbatch 失败：%1</translation>
    </message>
    <message>
        <source>%1, waiting for Slurm</source>
        <translation>%1，等待 Slurm</translation>
    </message>
    <message>
        <source>%1, merged</source>
        <translation>%1，已合并</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <source>Merged into %1</source>
        <translation>已合并到 %1</translation>
    </message>
    <message>
        <source>%1, cancelled</source>
        <translation>%1，已取消</translation>
    </message>
    <message>
        <source>%1, %2 failed</source>
        <translation>%1，%2 个失败</translation>
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
        <translation>分片 %1 失败（%2）：“重新提交失败的分片”会再次运行它；其日志为 logs/part-%1.out</translation>
    </message>
    <message>
        <source>Parts %1 failed (%2): Resubmit Failed Parts runs them again; logs in logs/</source>
        <translation>分片 %1 失败（%2）：“重新提交失败的分片”会再次运行它们；日志位于 logs/</translation>
    </message>
    <message>
        <source>%1, merge failed</source>
        <translation>%1，合并失败</translation>
    </message>
    <message>
        <source>The merge job %1 ended %2: see logs/merge.out</source>
        <translation>合并作业 %1 结束状态为 %2：参见 logs/merge.out</translation>
    </message>
    <message>
        <source>%1, merging</source>
        <translation>%1，合并中</translation>
    </message>
    <message>
        <source>merging</source>
        <translation>合并中</translation>
    </message>
    <message>
        <source>Merging</source>
        <translation>合并中</translation>
    </message>
    <message>
        <source>%1, %2 running</source>
        <translation>%1，%2 个运行中</translation>
    </message>
    <message>
        <source>%1, %2 queued</source>
        <translation>%1，%2 个排队中</translation>
    </message>
    <message>
        <source>, part %1 failed</source>
        <translation>，分片 %1 失败</translation>
    </message>
    <message>
        <source>, parts %1 failed</source>
        <translation>，分片 %1 失败</translation>
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
        <translation>集群：%1 — %2</translation>
    </message>
    <message>
        <source>%1
Submission folder: %2</source>
        <translation>%1
提交文件夹：%2</translation>
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
        <translation>分区 %1</translation>
    </message>
    <message>
        <source>part %1/%2  %3  %4</source>
        <translation>分片 %1/%2  %3  %4</translation>
    </message>
    <message>
        <source>merge  %1  %2</source>
        <translation>合并  %1  %2</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ClusterDialog</name>
    <message>
        <source>Run on Cluster</source>
        <translation>在集群上运行</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Add &amp;Files…</source>
        <translation>添加文件(&amp;F)…</translation>
    </message>
    <message>
        <source>Add F&amp;older…</source>
        <translation>添加文件夹(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>Inputs to run on the cluster</source>
        <translation>要在集群上运行的输入</translation>
    </message>
    <message>
        <source>Folder to run on the cluster</source>
        <translation>要在集群上运行的文件夹</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>分片</translation>
    </message>
    <message>
        <source>The inputs are split into this many parts, one Slurm array task each (run --shard I/N).</source>
        <translation>输入被拆分为这么多个分片，每个分片对应一个 Slurm 数组任务（run --shard I/N）。</translation>
    </message>
    <message>
        <source>&amp;Parts:</source>
        <translation>分片数(&amp;P)：</translation>
    </message>
    <message>
        <source>The cluster&apos;s default</source>
        <translation>集群默认值</translation>
    </message>
    <message>
        <source>P&amp;artition:</source>
        <translation>分区(&amp;A)：</translation>
    </message>
    <message>
        <source>The partition&apos;s default (e.g. 2:00:00)</source>
        <translation>分区默认值（如 2:00:00）</translation>
    </message>
    <message>
        <source>Time limit of each part, in Slurm&apos;s format: minutes, h:mm:ss or days-hh:mm:ss.</source>
        <translation>每个分片的时间限制，采用 Slurm 格式：分钟、h:mm:ss 或 days-hh:mm:ss。</translation>
    </message>
    <message>
        <source>&amp;Time limit per part:</source>
        <translation>每个分片的时间限制(&amp;T)：</translation>
    </message>
    <message>
        <source>The partition&apos;s default (e.g. 16G)</source>
        <translation>分区默认值（如 16G）</translation>
    </message>
    <message>
        <source>&amp;Memory per part:</source>
        <translation>每个分片的内存(&amp;M)：</translation>
    </message>
    <message>
        <source>The partition&apos;s default</source>
        <translation>分区默认值</translation>
    </message>
    <message>
        <source>Each part uses as many threads as the CPUs Slurm gives it.</source>
        <translation>每个分片使用的线程数等于 Slurm 分配给它的 CPU 数。</translation>
    </message>
    <message>
        <source>&amp;CPUs per part:</source>
        <translation>每个分片的 CPU 数(&amp;C)：</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>GPUs per part (--gres=gpu:N).</source>
        <translation>每个分片的 GPU 数（--gres=gpu:N）。</translation>
    </message>
    <message>
        <source>&amp;GPUs per part:</source>
        <translation>每个分片的 GPU 数(&amp;G)：</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Each submission gets a folder &quot;slurm-&lt;date&gt;-&lt;time&gt;&quot; in here with its scripts, logs, parts and merged results. Every node must see it.</source>
        <translation>每次提交都会在此处获得一个“slurm-&lt;date&gt;-&lt;time&gt;”文件夹，其中包含脚本、日志、分片和合并后的结果。每个节点都必须能访问它。</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Output folder:</source>
        <translation>输出文件夹(&amp;O)：</translation>
    </message>
    <message>
        <source>Output folder for submissions</source>
        <translation>提交的输出文件夹</translation>
    </message>
    <message>
        <source>The benchtop-cli every node runs, as the nodes see it.</source>
        <translation>每个节点运行的 benchtop-cli（按节点上看到的路径）。</translation>
    </message>
    <message>
        <source>benchtop-cli on the &amp;nodes:</source>
        <translation>节点上的 benchtop-cli(&amp;N)：</translation>
    </message>
    <message>
        <source>Submits with this machine&apos;s sbatch: run Benchtop on the cluster&apos;s login node (there is no SSH login host). Elsewhere, run &lt;tt&gt;benchtop-cli slurm submit&lt;/tt&gt; on the login node. The row in the job list follows the parts and the merge.</source>
        <translation>使用本机的 sbatch 提交：请在集群的登录节点上运行 Benchtop（没有 SSH 登录主机）。在其他地方，请在登录节点上运行 &lt;tt&gt;benchtop-cli slurm submit&lt;/tt&gt;。作业列表中的该行会跟踪各分片及合并。</translation>
    </message>
    <message>
        <source>&amp;Submit</source>
        <translation>提交(&amp;S)</translation>
    </message>
    <message>
        <source>Show Scr&amp;ipts</source>
        <translation>显示脚本(&amp;I)</translation>
    </message>
    <message>
        <source>add the files to run (Add Files…).</source>
        <translation>请添加要运行的文件（添加文件…）。</translation>
    </message>
    <message>
        <source>the files belong to several tasks (%1); submit the files of each task on their own.</source>
        <translation>这些文件属于多个任务（%1）；请分别提交每个任务的文件。</translation>
    </message>
    <message>
        <source># submitted with --dependency=afterok:&lt;array job&gt;
</source>
        <translation># 以 --dependency=afterok:&lt;数组作业&gt; 提交
</translation>
    </message>
    <message>
        <source># The scripts cannot be written:
# %1</source>
        <translation># 无法写入脚本：
# %1</translation>
    </message>
    <message>
        <source>Hide Scr&amp;ipts</source>
        <translation>隐藏脚本(&amp;I)</translation>
    </message>
    <message>
        <source>the task each file is recognised as</source>
        <translation>每个文件被识别出的任务</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>模型 %1</translation>
    </message>
    <message>
        <source>(the task&apos;s default)</source>
        <translation>（任务默认值）</translation>
    </message>
    <message>
        <source>device %1 · %2</source>
        <translation>设备 %1 · %2</translation>
    </message>
    <message>
        <source>options %1</source>
        <translation>选项 %1</translation>
    </message>
    <message>
        <source>Each part runs %1 (as a local job would, from the settings); a merge job joins the parts when all of them succeed.</source>
        <translation>每个分片运行 %1（与本地作业相同，依据设置）；所有分片成功后，由合并作业将它们合并。</translation>
    </message>
    <message>
        <source>The submission cannot be made.</source>
        <translation>无法进行提交。</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::DeviceBadge</name>
    <message>
        <source>detecting…</source>
        <translation>检测中…</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>设备：%1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>No device</source>
        <translation>无设备</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::DropZone</name>
    <message>
        <source>Drop files or folders here</source>
        <translation>将文件或文件夹拖放到此处</translation>
    </message>
    <message>
        <source>Open Files…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <source>Open Folder…</source>
        <translation>打开文件夹…</translation>
    </message>
    <message>
        <source>Drop zone</source>
        <translation>拖放区</translation>
    </message>
    <message>
        <source>Drop files or folders here to run them, or use the Open Files and Open Folder buttons.</source>
        <translation>将文件或文件夹拖放到此处即可运行，或使用“打开文件”和“打开文件夹”按钮。</translation>
    </message>
    <message>
        <source>Choose files to run; each file becomes one job</source>
        <translation>选择要运行的文件；每个文件成为一个作业</translation>
    </message>
    <message>
        <source>Choose a folder; every supported file in it becomes a job</source>
        <translation>选择一个文件夹；其中每个受支持的文件都成为一个作业</translation>
    </message>
    <message>
        <source>
Folders are expanded; each file becomes one job on the device shown at the top right.</source>
        <translation>
文件夹会被展开；每个文件在右上角显示的设备上成为一个作业。</translation>
    </message>
    <message>
        <source>Drop more files here</source>
        <translation>将更多文件拖放到此处</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::FileListResultView</name>
    <message>
        <source>Show Folder</source>
        <translation>显示文件夹</translation>
    </message>
    <message>
        <source>Result file</source>
        <translation>结果文件</translation>
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
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Cancelled; partial results were removed.</source>
        <translation>已取消；部分结果已删除。</translation>
    </message>
    <message>
        <source>Results appear here when the job finishes.</source>
        <translation>作业完成后，结果将显示在此处。</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open %1 with its default application</source>
        <translation>用默认应用程序打开 %1</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::JobListModel</name>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Preparing</source>
        <translation>准备中</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>detecting…</source>
        <translation>检测中…</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>took %1</source>
        <translation>耗时 %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Open results</source>
        <translation>打开结果</translation>
    </message>
    <message>
        <source>Resubmit failed</source>
        <translation>重新提交失败项</translation>
    </message>
    <message>
        <source>The task&apos;s default model</source>
        <translation>任务的默认模型</translation>
    </message>
    <message>
        <source>Stop this job (takes effect after the current batch)</source>
        <translation>停止此作业（在当前批次之后生效）</translation>
    </message>
    <message>
        <source>Open the folder with the result files</source>
        <translation>打开包含结果文件的文件夹</translation>
    </message>
    <message>
        <source>Submit the failed parts again, and a new merge</source>
        <translation>重新提交失败的分片，并进行一次新的合并</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Result / error</source>
        <translation>结果 / 错误</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::JobListView</name>
    <message>
        <source>Jobs</source>
        <translation>作业</translation>
    </message>
    <message>
        <source>One row per job: file, task, model, device, progress, state and result. Delete cancels the selected job.</source>
        <translation>每个作业一行：文件、任务、模型、设备、进度、状态和结果。按 Delete 取消所选作业。</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>取消作业</translation>
    </message>
    <message>
        <source>Open results</source>
        <translation>打开结果</translation>
    </message>
    <message>
        <source>Resubmit failed parts</source>
        <translation>重新提交失败的分片</translation>
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
        <translation>就绪。拖放文件，或使用“文件 › 打开”。</translation>
    </message>
    <message>
        <source>Run on Cluster</source>
        <translation>在集群上运行</translation>
    </message>
    <message>
        <source>&amp;Open Files…</source>
        <translation>打开文件(&amp;O)…</translation>
    </message>
    <message>
        <source>Choose files to run; each file becomes one job</source>
        <translation>选择要运行的文件；每个文件成为一个作业</translation>
    </message>
    <message>
        <source>Open &amp;Results…</source>
        <translation>打开结果(&amp;R)…</translation>
    </message>
    <message>
        <source>Show an earlier job&apos;s results folder without running it again</source>
        <translation>显示先前作业的结果文件夹，而无需重新运行</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>打开文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Choose a folder; every supported file in it becomes a job</source>
        <translation>选择一个文件夹；其中每个受支持的文件都成为一个作业</translation>
    </message>
    <message>
        <source>Run on &amp;Cluster…</source>
        <translation>在集群上运行(&amp;C)…</translation>
    </message>
    <message>
        <source>Resubmit &amp;Failed Parts</source>
        <translation>重新提交失败的分片(&amp;F)</translation>
    </message>
    <message>
        <source>Submit the failed parts of the selected cluster submission again</source>
        <translation>重新提交所选集群提交中失败的分片</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Device, precision, threads and output folder</source>
        <translation>设备、精度、线程和输出文件夹</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>模型(&amp;M)…</translation>
    </message>
    <message>
        <source>Download, import, remove and choose models</source>
        <translation>下载、导入、移除和选择模型</translation>
    </message>
    <message>
        <source>&amp;Local Server</source>
        <translation>本地服务器(&amp;L)</translation>
    </message>
    <message>
        <source>Serve the models of Settings › Server over HTTP (OpenAI-compatible embeddings and transcriptions)</source>
        <translation>通过 HTTP 提供“设置 › 服务器”中的模型（兼容 OpenAI 的嵌入和转录接口）</translation>
    </message>
    <message>
        <source>Server &amp;Settings…</source>
        <translation>服务器设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Cancel Job</source>
        <translation>取消作业(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel the selected job</source>
        <translation>取消所选作业</translation>
    </message>
    <message>
        <source>Cancel &amp;All</source>
        <translation>全部取消(&amp;A)</translation>
    </message>
    <message>
        <source>Cancel every queued and running job</source>
        <translation>取消所有排队中和运行中的作业</translation>
    </message>
    <message>
        <source>Open &amp;Results</source>
        <translation>打开结果(&amp;R)</translation>
    </message>
    <message>
        <source>Open the folder with the selected job&apos;s results</source>
        <translation>打开包含所选作业结果的文件夹</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>Search or filter the results shown</source>
        <translation>搜索或筛选显示的结果</translation>
    </message>
    <message>
        <source>C&amp;lear Finished</source>
        <translation>清除已完成(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;About Benchtop</source>
        <translation>关于 Benchtop(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Licences and Notices</source>
        <translation>许可证与声明(&amp;L)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation>作业(&amp;J)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Live Hardware Charts</source>
        <translation>实时硬件图表(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>服务器(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Starting the local server: loading its models…</source>
        <translation>正在启动本地服务器：加载其模型…</translation>
    </message>
    <message>
        <source>Stopping the local server…</source>
        <translation>正在停止本地服务器…</translation>
    </message>
    <message>
        <source>Local server on %1</source>
        <translation>本地服务器运行于 %1</translation>
    </message>
    <message>
        <source>Local server stopped.</source>
        <translation>本地服务器已停止。</translation>
    </message>
    <message>
        <source>Server: starting…</source>
        <translation>服务器：启动中…</translation>
    </message>
    <message>
        <source>Loading the models of Settings › Server</source>
        <translation>正在加载“设置 › 服务器”中的模型</translation>
    </message>
    <message>
        <source>Server: stopping…</source>
        <translation>服务器：停止中…</translation>
    </message>
    <message>
        <source>Answering the requests in flight, then closing</source>
        <translation>正在应答处理中的请求，然后关闭</translation>
    </message>
    <message>
        <source>1 request</source>
        <translation>1 个请求</translation>
    </message>
    <message>
        <source>%1 requests</source>
        <translation>%1 个请求</translation>
    </message>
    <message>
        <source>Server: %1 · %2 in flight · %3</source>
        <translation>服务器：%1 · %2 个处理中 · %3</translation>
    </message>
    <message>
        <source>&lt;b&gt;Local server&lt;/b&gt; on %1 (%2)</source>
        <translation>&lt;b&gt;本地服务器&lt;/b&gt;运行于 %1（%2）</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>%1 texts embedded, %2 s of audio transcribed, padding efficiency %3 %</source>
        <translation>已嵌入 %1 条文本，已转录 %2 秒音频，填充效率 %3 %</translation>
    </message>
    <message>
        <source>%1 requests failed</source>
        <translation>%1 个请求失败</translation>
    </message>
    <message>
        <source>The local server did not start: %1</source>
        <translation>本地服务器未能启动：%1</translation>
    </message>
    <message>
        <source>Local Server</source>
        <translation>本地服务器</translation>
    </message>
    <message>
        <source>The local server did not start.</source>
        <translation>本地服务器未能启动。</translation>
    </message>
    <message>
        <source>No supported files found in what was dropped.</source>
        <translation>拖放的内容中未找到受支持的文件。</translation>
    </message>
    <message>
        <source>Queued %1</source>
        <translation>已排队 %1</translation>
    </message>
    <message>
        <source>Queued %1 files</source>
        <translation>已排队 %1 个文件</translation>
    </message>
    <message>
        <source>Attached %1 to %2</source>
        <translation>已将 %1 附加到 %2</translation>
    </message>
    <message>
        <source>%1 looks like a %2 but belongs to no single file of the drop; drop it together with the files of its folder</source>
        <translation>%1 看起来像 %2，但不属于此次拖放中的任何单个文件；请将它与其文件夹中的文件一起拖放</translation>
    </message>
    <message>
        <source>Benchtop&apos;s own results skipped</source>
        <translation>已跳过 Benchtop 自身的结果</translation>
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
        <translation>%1 失败：%2</translation>
    </message>
    <message>
        <source>%1 cancelled</source>
        <translation>%1 已取消</translation>
    </message>
    <message>
        <source>work units</source>
        <translation>工作单元</translation>
    </message>
    <message>
        <source>No jobs</source>
        <translation>没有作业</translation>
    </message>
    <message>
        <source>%1 running · %2 queued · %3 done · %4 failed</source>
        <translation>%1 个运行中 · %2 个排队中 · %3 个已完成 · %4 个失败</translation>
    </message>
    <message>
        <source>Split files into parts that run as a Slurm job array, merged when all are done</source>
        <translation>将文件拆分为多个分片，作为 Slurm 作业数组运行，全部完成后合并</translation>
    </message>
    <message>
        <source>sbatch was not found on PATH: Benchtop submits with this machine&apos;s Slurm only. On the cluster&apos;s login node, use benchtop-cli slurm submit.</source>
        <translation>在 PATH 中找不到 sbatch：Benchtop 只使用本机的 Slurm 提交。请在集群的登录节点上使用 benchtop-cli slurm submit。</translation>
    </message>
    <message>
        <source>Submitting to Slurm…</source>
        <translation>正在提交到 Slurm…</translation>
    </message>
    <message>
        <source>Resubmitting the failed parts…</source>
        <translation>正在重新提交失败的分片…</translation>
    </message>
    <message>
        <source>Supported files (%1)</source>
        <translation>受支持的文件（%1）</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Open Files</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Settings saved; new jobs use %1.</source>
        <translation>设置已保存；新作业将使用 %1。</translation>
    </message>
    <message>
        <source>Nothing to search: select a job whose results can be searched.</source>
        <translation>没有可搜索的内容：请选择一个结果可搜索的作业。</translation>
    </message>
    <message>
        <source>Not now: the submission is being submitted, cancelled or resubmitted.</source>
        <translation>现在不行：该提交正在提交、取消或重新提交中。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Cancelling all jobs…</source>
        <translation>正在取消所有作业…</translation>
    </message>
    <message>
        <source>The results folder %1 does not exist.</source>
        <translation>结果文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>Open Results</source>
        <translation>打开结果</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>%1 is not a Benchtop results folder: it has no %2. Choose the folder of one job, e.g. benchtop-results/&lt;input name&gt;.</source>
        <translation>%1 不是 Benchtop 结果文件夹：其中没有 %2。请选择某个作业的文件夹，例如 benchtop-results/&lt;输入名称&gt;。</translation>
    </message>
    <message>
        <source>%1 in %2 cannot be read: %3</source>
        <translation>无法读取 %2 中的 %1：%3</translation>
    </message>
    <message>
        <source>it names no task</source>
        <translation>其中未指明任务</translation>
    </message>
    <message>
        <source>Earlier results, opened from disk</source>
        <translation>先前的结果，从磁盘打开</translation>
    </message>
    <message>
        <source>Opened the results in %1</source>
        <translation>已打开 %1 中的结果</translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 及另外 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>Results: %1</source>
        <translation>结果：%1</translation>
    </message>
    <message>
        <source>Show these results again</source>
        <translation>再次显示这些结果</translation>
    </message>
    <message>
        <source>Run these files again</source>
        <translation>再次运行这些文件</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>没有最近的文件</translation>
    </message>
    <message>
        <source>&amp;Clear Menu</source>
        <translation>清除菜单(&amp;C)</translation>
    </message>
    <message>
        <source>%1 is no longer there.</source>
        <translation>%1 已不存在。</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 失败</translation>
    </message>
    <message>
        <source>%1 is done</source>
        <translation>%1 已完成</translation>
    </message>
    <message>
        <source>Finished in %1.</source>
        <translation>用时 %1 完成。</translation>
    </message>
    <message>
        <source>%1 (in %2)</source>
        <translation>%1（位于 %2）</translation>
    </message>
    <message>
        <source>Quit Benchtop</source>
        <translation>退出 Benchtop</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) still queued or running.</source>
        <translation>
            <numerusform>仍有 %n 个作业在排队或运行。</numerusform>
        </translation>
    </message>
    <message>
        <source>Quitting cancels them; their unfinished results are removed.</source>
        <translation>退出将取消它们；其未完成的结果将被删除。</translation>
    </message>
    <message>
        <source>Cancel jobs and quit</source>
        <translation>取消作业并退出</translation>
    </message>
    <message>
        <source>Keep running</source>
        <translation>继续运行</translation>
    </message>
    <message>
        <source>The jobs keep running.</source>
        <translation>作业将继续运行。</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::MethylationResultView</name>
    <message>
        <source>Residual</source>
        <translation>残差</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差值</translation>
    </message>
    <message>
        <source>Hidden</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Age acceleration next to each age clock: the residual of prediction ~ age over the cohort (intrinsic age acceleration) or prediction − age</source>
        <translation>每个年龄时钟旁显示的年龄加速：队列中“预测值 ~ 年龄”回归的残差（内在年龄加速）或“预测值 − 年龄”</translation>
    </message>
    <message>
        <source>Age acceleration:</source>
        <translation>年龄加速：</translation>
    </message>
    <message>
        <source>Clocks whose CpGs this array or file does not cover enough for any sample</source>
        <translation>此芯片或文件对其 CpG 覆盖不足、无法为任何样本计算的时钟</translation>
    </message>
    <message>
        <source>not computable</source>
        <translation>无法计算</translation>
    </message>
    <message>
        <source>computed with missing CpGs</source>
        <translation>在缺少 CpG 的情况下计算</translation>
    </message>
    <message>
        <source>Hover a cell for its CpG coverage.</source>
        <translation>将鼠标悬停在单元格上可查看其 CpG 覆盖率。</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Save the table as shown (columns and row order) as CSV, numbers at full precision</source>
        <translation>将表格按显示的样子（列和行顺序）保存为 CSV，数值为完整精度</translation>
    </message>
    <message>
        <source>Filter samples… (Ctrl+F)</source>
        <translation>筛选样本…（Ctrl+F）</translation>
    </message>
    <message>
        <source>Filter samples</source>
        <translation>筛选样本</translation>
    </message>
    <message>
        <source>Predictions</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>One row per sample, one column per clock; sort by clicking a header</source>
        <translation>每个样本一行，每个时钟一列；点击表头排序</translation>
    </message>
    <message>
        <source>The age clock plotted against chronological age</source>
        <translation>年龄时钟与实际年龄的对照图</translation>
    </message>
    <message>
        <source>Clock:</source>
        <translation>时钟：</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>predicted = age</source>
        <translation>预测 = 年龄</translation>
    </message>
    <message>
        <source>Chronological age (years)</source>
        <translation>实际年龄（岁）</translation>
    </message>
    <message>
        <source>Predicted age (years)</source>
        <translation>预测年龄（岁）</translation>
    </message>
    <message>
        <source>Predicted against chronological age</source>
        <translation>预测年龄与实际年龄对照</translation>
    </message>
    <message>
        <source>%1
age %2, predicted %3</source>
        <translation>%1
年龄 %2，预测 %3</translation>
    </message>
    <message>
        <source>The job failed: %1</source>
        <translation>作业失败：%1</translation>
    </message>
    <message>
        <source>The job was cancelled; it wrote no predictions.</source>
        <translation>作业已取消；未写出任何预测。</translation>
    </message>
    <message>
        <source>Predicting… (%1 of %2 samples). The table and the age chart appear here when the job finishes.</source>
        <translation>正在预测…（%2 个样本中的第 %1 个）。作业完成后，表格和年龄图表将显示在此处。</translation>
    </message>
    <message>
        <source>Reading the matrix… The table and the age chart appear here when the job finishes.</source>
        <translation>正在读取矩阵… 作业完成后，表格和年龄图表将显示在此处。</translation>
    </message>
    <message>
        <source>The job finished without a predictions.json to show.</source>
        <translation>作业已完成，但没有可显示的 predictions.json。</translation>
    </message>
    <message>
        <source>Cannot show the predictions: %1</source>
        <translation>无法显示预测：%1</translation>
    </message>
    <message>
        <source>%1 samples × %2 clocks</source>
        <translation>%1 个样本 × %2 个时钟</translation>
    </message>
    <message>
        <source>Hide clocks without values</source>
        <translation>隐藏没有数值的时钟</translation>
    </message>
    <message>
        <source>Hide 1 clock without values</source>
        <translation>隐藏 1 个没有数值的时钟</translation>
    </message>
    <message>
        <source>Hide %1 clocks without values</source>
        <translation>隐藏 %1 个没有数值的时钟</translation>
    </message>
    <message>
        <source>No chronological ages are known. Drop a sample sheet (Sample_Name, Age) together with the matrix to plot predicted against chronological age and to get age acceleration.</source>
        <translation>未知任何实际年龄。请将样本表（Sample_Name, Age）与矩阵一起拖放，以绘制预测年龄与实际年龄的对照图并获得年龄加速。</translation>
    </message>
    <message>
        <source>No age clock could be computed for a sample with a known age.</source>
        <translation>对于已知年龄的样本，无法计算任何年龄时钟。</translation>
    </message>
    <message>
        <source>undefined</source>
        <translation>未定义</translation>
    </message>
    <message>
        <source>Pearson r = %1 · median absolute error = %2 years · n = %3</source>
        <translation>Pearson r = %1 · 中位绝对误差 = %2 岁 · n = %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>there are no predictions to export</source>
        <translation>没有可导出的预测</translation>
    </message>
    <message>
        <source>Export Table</source>
        <translation>导出表格</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>The table could not be saved.
%1</source>
        <translation>无法保存表格。
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
        <translation>无法计算</translation>
    </message>
    <message>
        <source>%1: %2/%3 CpGs present (%4)</source>
        <translation>%1：%2/%3 个 CpG 存在（%4）</translation>
    </message>
    <message>
        <source>, 1 imputed</source>
        <translation>，1 个已插补</translation>
    </message>
    <message>
        <source>, %1 imputed</source>
        <translation>，%1 个已插补</translation>
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
        <translation>样本表中没有 %1 的年龄</translation>
    </message>
    <message>
        <source>No %1 prediction for %2, so no age acceleration</source>
        <translation>%2 没有 %1 预测，因此没有年龄加速</translation>
    </message>
    <message>
        <source>No chronological age for %1</source>
        <translation>%1 没有实际年龄</translation>
    </message>
    <message>
        <source>%1 − age = %2 years</source>
        <translation>%1 − 年龄 = %2 岁</translation>
    </message>
    <message>
        <source>
residual of %1 ~ age = %2 years</source>
        <translation>
%1 ~ 年龄的残差 = %2 岁</translation>
    </message>
    <message>
        <source>
no residual: %1</source>
        <translation>
无残差：%1</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
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
加速残差</translation>
    </message>
    <message>
        <source>Sample name (matrix column)</source>
        <translation>样本名称（矩阵列）</translation>
    </message>
    <message>
        <source>Chronological age in years, from the sample sheet</source>
        <translation>实际年龄（岁），来自样本表</translation>
    </message>
    <message>
        <source>Sex from the sample sheet</source>
        <translation>性别，来自样本表</translation>
    </message>
    <message>
        <source>%1: %2, %3 CpGs</source>
        <translation>%1：%2，%3 个 CpG</translation>
    </message>
    <message>
        <source>prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Tissue: %1</source>
        <translation>组织：%1</translation>
    </message>
    <message>
        <source>Missing values: %1</source>
        <translation>缺失值：%1</translation>
    </message>
    <message>
        <source>Computed for %1 of %2 samples</source>
        <translation>已为 %2 个样本中的 %1 个计算</translation>
    </message>
    <message>
        <source>Age acceleration of %1: prediction − chronological age (years)</source>
        <translation>%1 的年龄加速：预测值 − 实际年龄（岁）</translation>
    </message>
    <message>
        <source>Age acceleration of %1: residual of the least-squares fit prediction = a + b·age over the cohort (a = %2, b = %3); it changes when samples are added or removed</source>
        <translation>%1 的年龄加速：队列上最小二乘拟合“预测值 = a + b·年龄”的残差（a = %2，b = %3）；添加或移除样本时会改变</translation>
    </message>
    <message>
        <source>Age acceleration of %1: no residual (%2)</source>
        <translation>%1 的年龄加速：无残差（%2）</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ModelManagerWindow</name>
    <message>
        <source>The model catalog is empty.</source>
        <translation>模型目录为空。</translation>
    </message>
    <message>
        <source>The model catalog could not be loaded: %1 Set BENCHTOP_CATALOG to its path.</source>
        <translation>无法加载模型目录：%1 请将 BENCHTOP_CATALOG 设置为其路径。</translation>
    </message>
    <message>
        <source>Models — Benchtop</source>
        <translation>模型 — Benchtop</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>下载(&amp;D)</translation>
    </message>
    <message>
        <source>Download the selected catalog model into Benchtop&apos;s store</source>
        <translation>将所选目录模型下载到 Benchtop 的模型库</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>Continue an unfinished download from where it stopped</source>
        <translation>从中断处继续未完成的下载</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the running download; Resume continues it later</source>
        <translation>停止正在进行的下载；“继续”可稍后接着下载</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <source>Delete the model (or an unfinished download) from Benchtop&apos;s store</source>
        <translation>从 Benchtop 的模型库中删除该模型（或未完成的下载）</translation>
    </message>
    <message>
        <source>Re&amp;veal</source>
        <translation>显示(&amp;V)</translation>
    </message>
    <message>
        <source>Show the model&apos;s folder in the file manager</source>
        <translation>在文件管理器中显示模型的文件夹</translation>
    </message>
    <message>
        <source>&amp;Use for New Jobs</source>
        <translation>用于新作业(&amp;U)</translation>
    </message>
    <message>
        <source>New jobs of this task use the selected model</source>
        <translation>此任务的新作业使用所选模型</translation>
    </message>
    <message>
        <source>Import &amp;Folder…</source>
        <translation>导入文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Copy a model folder (Hugging Face layout) into the store</source>
        <translation>将模型文件夹（Hugging Face 布局）复制到模型库</translation>
    </message>
    <message>
        <source>Import &amp;Zip…</source>
        <translation>导入 Zip(&amp;Z)…</translation>
    </message>
    <message>
        <source>Unpack a zipped model folder into the store</source>
        <translation>将压缩的模型文件夹解压到模型库</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <source>Look at the store and the Hugging Face cache again</source>
        <translation>重新查看模型库和 Hugging Face 缓存</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭提示</translation>
    </message>
    <message>
        <source>Filter by name, id, repository, family or licence</source>
        <translation>按名称、ID、仓库、系列或许可证筛选</translation>
    </message>
    <message>
        <source>All tasks</source>
        <translation>所有任务</translation>
    </message>
    <message>
        <source>On this machine</source>
        <translation>本机上</translation>
    </message>
    <message>
        <source>Show only models in the store, the Hugging Face cache or partly downloaded</source>
        <translation>只显示模型库、Hugging Face 缓存中或部分下载的模型</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>No file manager could open %1.</source>
        <translation>没有文件管理器能打开 %1。</translation>
    </message>
    <message>
        <source>Reading the model store failed: %1</source>
        <translation>读取模型库失败：%1</translation>
    </message>
    <message>
        <source>1 model</source>
        <translation>1 个模型</translation>
    </message>
    <message>
        <source>%1 models</source>
        <translation>%1 个模型</translation>
    </message>
    <message>
        <source>&lt;b&gt;Store&lt;/b&gt;&amp;nbsp; %1 — empty</source>
        <translation>&lt;b&gt;模型库&lt;/b&gt;&amp;nbsp; %1 — 空</translation>
    </message>
    <message>
        <source>&lt;b&gt;Store&lt;/b&gt;&amp;nbsp; %1 — %2 in %3</source>
        <translation>&lt;b&gt;模型库&lt;/b&gt;&amp;nbsp; %1 — %3 中共 %2</translation>
    </message>
    <message>
        <source>, %1 in unfinished downloads</source>
        <translation>，未完成的下载占 %1</translation>
    </message>
    <message>
        <source> · %1 free of %2 on its volume</source>
        <translation> · 所在卷共 %2，可用 %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Hugging Face cache&lt;/b&gt;&amp;nbsp; %1 — used in place, never modified</source>
        <translation>&lt;b&gt;Hugging Face 缓存&lt;/b&gt;&amp;nbsp; %1 — 原地使用，从不修改</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>&lt;b&gt;Bundled&lt;/b&gt;&amp;nbsp; %1 clock tables shipped with Benchtop in %2</source>
        <translation>&lt;b&gt;内置&lt;/b&gt;&amp;nbsp; Benchtop 在 %2 中附带 %1 个时钟表</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>移除(&amp;M)…</translation>
    </message>
    <message>
        <source>Discard Partial</source>
        <translation>丢弃部分下载</translation>
    </message>
    <message>
        <source>%1 (%2) is distributed under: %3.</source>
        <translation>%1（%2）按以下条款分发：%3。</translation>
    </message>
    <message>
        <source>no stated licence</source>
        <translation>未声明许可证</translation>
    </message>
    <message>
        <source>Download it and accept these terms?</source>
        <translation>下载并接受这些条款？</translation>
    </message>
    <message>
        <source>%1 is not in the catalog and has no repository to download from.</source>
        <translation>%1 不在目录中，也没有可供下载的仓库。</translation>
    </message>
    <message>
        <source>Licence — %1</source>
        <translation>许可证 — %1</translation>
    </message>
    <message>
        <source>Accept and Download</source>
        <translation>接受并下载</translation>
    </message>
    <message>
        <source>%1 was not downloaded.</source>
        <translation>%1 未下载。</translation>
    </message>
    <message>
        <source>%1 is installed in %2.</source>
        <translation>%1 已安装到 %2。</translation>
    </message>
    <message>
        <source>%1 could not be downloaded: %2</source>
        <translation>无法下载 %1：%2</translation>
    </message>
    <message>
        <source>The download of %1 was cancelled. Its partial files are kept; Resume continues it.</source>
        <translation>%1 的下载已取消。其部分文件已保留；“继续”可接着下载。</translation>
    </message>
    <message>
        <source>Running downloads were cancelled; Resume continues them.</source>
        <translation>正在进行的下载已取消；“继续”可接着下载。</translation>
    </message>
    <message>
        <source>Discard Download</source>
        <translation>丢弃下载</translation>
    </message>
    <message>
        <source>Discard the unfinished download of %1 (%2 in %3)? A new download starts from zero.</source>
        <translation>丢弃 %1 未完成的下载（%3 中的 %2）？新的下载将从零开始。</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>The unfinished download of %1 was discarded.</source>
        <translation>已丢弃 %1 未完成的下载。</translation>
    </message>
    <message>
        <source>%1 is in your Hugging Face cache:
%2

Benchtop uses it in place and never deletes from that cache, because other tools (transformers, sentence-transformers) share it. To free the space, use `huggingface-cli delete-cache`.

Show the folder instead?</source>
        <translation>%1 位于您的 Hugging Face 缓存中：
%2

Benchtop 原地使用它，且从不删除该缓存中的内容，因为其他工具（transformers、sentence-transformers）也共享它。要释放空间，请使用 `huggingface-cli delete-cache`。

改为显示该文件夹？</translation>
    </message>
    <message>
        <source>Model in the Hugging Face Cache</source>
        <translation>Hugging Face 缓存中的模型</translation>
    </message>
    <message>
        <source>Reveal in File Manager</source>
        <translation>在文件管理器中显示</translation>
    </message>
    <message>
        <source>Remove Model</source>
        <translation>移除模型</translation>
    </message>
    <message>
        <source>Delete %1 from Benchtop&apos;s store? This frees %2.

%3</source>
        <translation>从 Benchtop 的模型库中删除 %1？这将释放 %2。

%3</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>%1 was removed from the store.</source>
        <translation>%1 已从模型库中移除。</translation>
    </message>
    <message>
        <source>New %1 jobs will use %2.</source>
        <translation>新的 %1 作业将使用 %2。</translation>
    </message>
    <message>
        <source>Import Model Folder</source>
        <translation>导入模型文件夹</translation>
    </message>
    <message>
        <source>Import Zipped Model</source>
        <translation>导入压缩模型</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Zip 压缩包 (*.zip)</translation>
    </message>
    <message>
        <source>%1 was imported into the store as %2.</source>
        <translation>%1 已作为 %2 导入模型库。</translation>
    </message>
    <message>
        <source>Import failed: %1</source>
        <translation>导入失败：%1</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
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
        <translation>名称</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
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
        <translation>许可证</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ResultsPane</name>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Select a job to see its results.</source>
        <translation>选择一个作业以查看其结果。</translation>
    </message>
    <message>
        <source>Results — %1</source>
        <translation>结果 — %1</translation>
    </message>
    <message>
        <source>Results — %1 (%2)</source>
        <translation>结果 — %1（%2）</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::ServerController</name>
    <message>
        <source>The server stopped while it started.</source>
        <translation>服务器在启动过程中停止了。</translation>
    </message>
    <message>
        <source>The server address is empty; use 127.0.0.1 to serve this machine only.</source>
        <translation>服务器地址为空；使用 127.0.0.1 可仅为本机提供服务。</translation>
    </message>
    <message>
        <source>Serving on %1 reaches beyond this machine, so it needs an API key: choose an API key file in Settings › Server (or use the address 127.0.0.1).</source>
        <translation>在 %1 上提供服务会超出本机范围，因此需要 API 密钥：请在“设置 › 服务器”中选择 API 密钥文件（或使用地址 127.0.0.1）。</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <source>no model to serve: choose a text model or a speech model for the server.</source>
        <translation>没有可提供服务的模型：请为服务器选择一个文本模型或语音模型。</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::SettingsDialog</name>
    <message>
        <source>Benchtop Settings</source>
        <translation>Benchtop 设置</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>Automatic (best available)</source>
        <translation>自动（最佳可用）</translation>
    </message>
    <message>
        <source>Use the fastest usable device: CUDA, then MPS, then the CPU.</source>
        <translation>使用最快的可用设备：CUDA，然后是 MPS，最后是 CPU。</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>设备(&amp;D)：</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
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
        <translation>自动（%1 个物理核心）</translation>
    </message>
    <message>
        <source>Intra-op threads for CPU work. Automatic uses one per physical core.</source>
        <translation>CPU 计算的算子内线程数。自动时每个物理核心一个线程。</translation>
    </message>
    <message>
        <source>CPU &amp;threads:</source>
        <translation>CPU 线程(&amp;T)：</translation>
    </message>
    <message>
        <source>Resolves to:</source>
        <translation>解析为：</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Save results in a &quot;%1&quot; folder next to each input file</source>
        <translation>将结果保存在每个输入文件旁的“%1”文件夹中</translation>
    </message>
    <message>
        <source>Folder for all results</source>
        <translation>所有结果的文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>应用程序</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>Takes effect the next time Benchtop starts</source>
        <translation>下次启动 Benchtop 时生效</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Keep the job list when Benchtop restarts</source>
        <translation>Benchtop 重启时保留作业列表(&amp;K)</translation>
    </message>
    <message>
        <source>Finished jobs are shown again at the next start, read from their result folders</source>
        <translation>已完成的作业会在下次启动时再次显示，从其结果文件夹读取</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Notify when a job that ran longer than %n seconds finishes</source>
        <translation>
            <numerusform>运行超过 %n 秒的作业完成时发出通知(&amp;N)</numerusform>
        </translation>
    </message>
    <message>
        <source>Start exported CSV files with a UTF-8 &amp;byte order mark (for Excel)</source>
        <translation>导出的 CSV 文件以 UTF-8 字节顺序标记开头（适用于 Excel）(&amp;B)</translation>
    </message>
    <message>
        <source>Excel reads CSV files without it in the system&apos;s legacy code page, which garbles non-ASCII sample names; other programs ignore the mark</source>
        <translation>没有它时，Excel 会以系统的旧代码页读取 CSV 文件，导致非 ASCII 的样本名称乱码；其他程序会忽略该标记</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>常规(&amp;G)</translation>
    </message>
    <message>
        <source>Workloads</source>
        <translation>工作负载</translation>
    </message>
    <message>
        <source>&amp;Workloads</source>
        <translation>工作负载(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Models</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>服务器(&amp;S)</translation>
    </message>
    <message>
        <source>Folder for results</source>
        <translation>结果文件夹</translation>
    </message>
    <message>
        <source>Hugging Face</source>
        <translation>Hugging Face</translation>
    </message>
    <message>
        <source>Default (HF_ENDPOINT or huggingface.co)</source>
        <translation>默认（HF_ENDPOINT 或 huggingface.co）</translation>
    </message>
    <message>
        <source>%1 (mirror)</source>
        <translation>%1（镜像）</translation>
    </message>
    <message>
        <source>Where models are downloaded from; type the address of another mirror if you use one</source>
        <translation>下载模型的来源；如果您使用其他镜像，请输入其地址</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>端点(&amp;E)：</translation>
    </message>
    <message>
        <source>hf_… (for gated and private models)</source>
        <translation>hf_…（用于受限和私有模型）</translation>
    </message>
    <message>
        <source>Access &amp;token:</source>
        <translation>访问令牌(&amp;T)：</translation>
    </message>
    <message>
        <source>Kept in the system keychain; where there is none, in %1, the file huggingface_hub reads. HF_TOKEN, when set, is used instead of that file.</source>
        <translation>保存在系统钥匙串中；没有钥匙串时，保存在 %1（huggingface_hub 读取的文件）中。设置了 HF_TOKEN 时，将使用它而不是该文件。</translation>
    </message>
    <message>
        <source>Kept in %1, the file huggingface_hub reads. HF_TOKEN, when set, is used instead.</source>
        <translation>保存在 %1（huggingface_hub 读取的文件）中。设置了 HF_TOKEN 时，将使用它。</translation>
    </message>
    <message>
        <source>&amp;Offline: never contact the hub, use only models already here</source>
        <translation>离线(&amp;O)：从不连接模型中心，只使用本机已有的模型</translation>
    </message>
    <message>
        <source>As HF_HUB_OFFLINE=1; downloads fail at once with a message instead of waiting for the network</source>
        <translation>等同于 HF_HUB_OFFLINE=1；下载会立即失败并给出消息，而不是等待网络</translation>
    </message>
    <message>
        <source>Local server</source>
        <translation>本地服务器</translation>
    </message>
    <message>
        <source>127.0.0.1 serves this machine only; any other address needs an API key file.</source>
        <translation>127.0.0.1 仅为本机提供服务；其他任何地址都需要 API 密钥文件。</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <source>Any free port</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <source>None (loopback addresses only)</source>
        <translation>无（仅限回环地址）</translation>
    </message>
    <message>
        <source>A file whose first line is the key clients send as &quot;Authorization: Bearer KEY&quot;.</source>
        <translation>一个文件，其第一行是客户端以“Authorization: Bearer KEY”发送的密钥。</translation>
    </message>
    <message>
        <source>API &amp;key file:</source>
        <translation>API 密钥文件(&amp;K)：</translation>
    </message>
    <message>
        <source>API key file</source>
        <translation>API 密钥文件</translation>
    </message>
    <message>
        <source>Models kept loaded</source>
        <translation>保持加载的模型</translation>
    </message>
    <message>
        <source>None (no /v1/embeddings)</source>
        <translation>无（不提供 /v1/embeddings）</translation>
    </message>
    <message>
        <source>A catalog id, Hugging Face repo id or folder of a BERT-family encoder.</source>
        <translation>BERT 系列编码器的目录 ID、Hugging Face 仓库 ID 或文件夹。</translation>
    </message>
    <message>
        <source>&amp;Text model:</source>
        <translation>文本模型(&amp;T)：</translation>
    </message>
    <message>
        <source>None (no /v1/audio/transcriptions)</source>
        <translation>无（不提供 /v1/audio/transcriptions）</translation>
    </message>
    <message>
        <source>A catalog id, Hugging Face repo id or folder of a Whisper model.</source>
        <translation>Whisper 模型的目录 ID、Hugging Face 仓库 ID 或文件夹。</translation>
    </message>
    <message>
        <source>S&amp;peech model:</source>
        <translation>语音模型(&amp;P)：</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Requests admitted at once (queued or running); more are answered 429.</source>
        <translation>同时接收的请求数（排队或运行中）；超出的请求将返回 429。</translation>
    </message>
    <message>
        <source>&amp;Max queue:</source>
        <translation>最大队列(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Batch requests together (requests for one model share device batches)</source>
        <translation>合并批处理请求(&amp;B)（同一模型的请求共享设备批次）</translation>
    </message>
    <message>
        <source>Server › Local Server starts it with the device and precision of the General page.&lt;br&gt;Endpoints: POST /v1/embeddings · /v1/audio/transcriptions · /v1/methylation/predict&lt;br&gt;GET /health · /v1/models · /metrics</source>
        <translation>“服务器 › 本地服务器”使用“常规”页面的设备和精度启动服务器。&lt;br&gt;端点：POST /v1/embeddings · /v1/audio/transcriptions · /v1/methylation/predict&lt;br&gt;GET /health · /v1/models · /metrics</translation>
    </message>
    <message>
        <source>The Hugging Face token could not be stored: %1</source>
        <translation>无法保存 Hugging Face 令牌：%1</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::SingleInstance</name>
    <message>
        <source>another Benchtop has just started</source>
        <translation>另一个 Benchtop 刚刚启动</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::TextResultView</name>
    <message>
        <source>Search the texts… (Enter)</source>
        <translation>搜索文本…（Enter）</translation>
    </message>
    <message>
        <source>Search the texts</source>
        <translation>搜索文本</translation>
    </message>
    <message>
        <source>top </source>
        <translation>前 </translation>
    </message>
    <message>
        <source>How many texts to list</source>
        <translation>要列出的文本数量</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Search hits as CSV…</source>
        <translation>搜索结果导出为 CSV…</translation>
    </message>
    <message>
        <source>Export search hits</source>
        <translation>导出搜索结果</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>2-D map as CSV…</source>
        <translation>二维图导出为 CSV…</translation>
    </message>
    <message>
        <source>Export 2-D map</source>
        <translation>导出二维图</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Search hits</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>texts</source>
        <translation>条文本</translation>
    </message>
    <message>
        <source>search hits</source>
        <translation>条搜索结果</translation>
    </message>
    <message>
        <source>selected</source>
        <translation>已选</translation>
    </message>
    <message>
        <source>2-D map of the texts</source>
        <translation>文本的二维图</translation>
    </message>
    <message>
        <source>Results appear here when the job finishes.</source>
        <translation>作业完成后，结果将显示在此处。</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Cancelled; partial results were removed.</source>
        <translation>已取消；部分结果已删除。</translation>
    </message>
    <message>
        <source>Embedding… search and map appear when the job finishes.</source>
        <translation>正在嵌入… 作业完成后将显示搜索和图。</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>Searching for “%1”…</source>
        <translation>正在搜索“%1”…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Type a query and press Enter to search the texts.</source>
        <translation>输入查询并按 Enter 搜索文本。</translation>
    </message>
    <message>
        <source>Cannot open the results: %1</source>
        <translation>无法打开结果：%1</translation>
    </message>
    <message>
        <source>The text</source>
        <translation>该文本</translation>
    </message>
    <message>
        <source>The %1 texts</source>
        <translation>这 %1 条文本</translation>
    </message>
    <message>
        <source>%1 closest to “%2” by cosine similarity.</source>
        <translation>按余弦相似度与“%2”最接近的 %1 条。</translation>
    </message>
    <message>
        <source>Search failed: %1</source>
        <translation>搜索失败：%1</translation>
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
        <translation>对 %2 个嵌入中随机抽取的 %1 个样本进行 PCA（坐标轴基于样本拟合；% = 方差占比）。将鼠标悬停在点上可查看其文本。</translation>
    </message>
    <message>
        <source>PCA of all %1 embeddings (% = share of variance). Hover a point to read its text.</source>
        <translation>对全部 %1 个嵌入进行 PCA（% = 方差占比）。将鼠标悬停在点上可查看其文本。</translation>
    </message>
    <message>
        <source>%1 texts</source>
        <translation>%1 条文本</translation>
    </message>
    <message>
        <source>%1 dims</source>
        <translation>%1 维</translation>
    </message>
    <message>
        <source>No texts yet</source>
        <translation>尚无文本</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>模型 %1</translation>
    </message>
    <message>
        <source>%1
pooling %2%3, max %4 tokens</source>
        <translation>%1
池化 %2%3，最多 %4 个词元</translation>
    </message>
    <message>
        <source> + normalize</source>
        <translation> + 归一化</translation>
    </message>
    <message>
        <source>%1 texts/s</source>
        <translation>%1 条文本/秒</translation>
    </message>
    <message>
        <source> · %1 tokens/s</source>
        <translation> · %1 词元/秒</translation>
    </message>
    <message>
        <source> · padding %1 %</source>
        <translation> · 填充 %1 %</translation>
    </message>
    <message>
        <source>Device time of the run: texts and tokens per second; padding = real tokens / padded tokens over the batches.</source>
        <translation>本次运行的设备时间：每秒文本数和词元数；填充 = 各批次中真实词元数 / 填充后词元数。</translation>
    </message>
    <message>
        <source>%1

row %2 · %3</source>
        <translation>%1

第 %2 行 · %3</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Exported %1 search hits to %2.</source>
        <translation>已将 %1 条搜索结果导出到 %2。</translation>
    </message>
    <message>
        <source>Nothing to export yet.</source>
        <translation>尚无可导出的内容。</translation>
    </message>
    <message>
        <source>Exported the map of %1 texts to %2.</source>
        <translation>已将 %1 条文本的图导出到 %2。</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::TranscriptView</name>
    <message>
        <source>The job transcribed several files; choose which transcript to show</source>
        <translation>该作业转录了多个文件；请选择要显示的转录文本</translation>
    </message>
    <message>
        <source>Search the transcript…</source>
        <translation>搜索转录文本…</translation>
    </message>
    <message>
        <source>Search the transcript</source>
        <translation>搜索转录文本</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the selected segments (or all) with their times</source>
        <translation>复制所选片段（或全部）及其时间</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Save the transcript as text, subtitles or JSON</source>
        <translation>将转录文本保存为文本、字幕或 JSON</translation>
    </message>
    <message>
        <source>Text (.txt)</source>
        <translation>文本 (.txt)</translation>
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
        <translation>包含片段和单词的 JSON (.json)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Transcript segments</source>
        <translation>转录片段</translation>
    </message>
    <message>
        <source>Copy Selected</source>
        <translation>复制所选</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Transcribing… %1 % of %2 s of audio</source>
        <translation>正在转录… %2 秒音频的 %1 %</translation>
    </message>
    <message>
        <source>Transcribing…</source>
        <translation>正在转录…</translation>
    </message>
    <message>
        <source>The job wrote no files.</source>
        <translation>该作业未写出任何文件。</translation>
    </message>
    <message>
        <source>The job wrote no transcript JSON (add json to the speech formats to see the segments here).</source>
        <translation>该作业未写出转录 JSON（在语音格式中添加 json 即可在此处查看片段）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Word timings&lt;/b&gt;&lt;table cellspacing=&apos;4&apos;&gt;</source>
        <translation>&lt;b&gt;单词时间&lt;/b&gt;&lt;table cellspacing=&apos;4&apos;&gt;</translation>
    </message>
    <message>
        <source>avg log-probability %1, no-speech probability %2</source>
        <translation>平均对数概率 %1，无语音概率 %2</translation>
    </message>
    <message>
        <source>%1 of audio</source>
        <translation>%1 音频</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>language %1 (%2 %)</source>
        <translation>语言 %1（%2 %）</translation>
    </message>
    <message>
        <source>language %1 (given)</source>
        <translation>语言 %1（指定）</translation>
    </message>
    <message numerus="yes">
        <source>%n segment(s)</source>
        <translation>
            <numerusform>%n 个片段</numerusform>
        </translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>模型 %1</translation>
    </message>
    <message>
        <source>%1 of %2 match</source>
        <translation>%2 中的 %1 个匹配</translation>
    </message>
    <message>
        <source>There is no transcript to export.</source>
        <translation>没有可导出的转录文本。</translation>
    </message>
    <message>
        <source>%1: cannot move the exported file into place (%2).</source>
        <translation>%1：无法将导出的文件移动到位（%2）。</translation>
    </message>
    <message>
        <source>%1 files (*.%2)</source>
        <translation>%1 文件 (*.%2)</translation>
    </message>
    <message>
        <source>Export Transcript</source>
        <translation>导出转录文本</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
</context>
<context>
    <name>benchtop::ui::WorkloadOptionsPage</name>
    <message>
        <source>Files: %1</source>
        <translation>文件：%1</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <source>Catalog id, Hugging Face repository id or model folder for new %1 jobs; the model manager&apos;s &quot;Use for New Jobs&quot; sets it too.</source>
        <translation>新 %1 作业使用的目录 ID、Hugging Face 仓库 ID 或模型文件夹；模型管理器的“用于新作业”也会设置它。</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation>%1（默认）</translation>
    </message>
    <message>
        <source>Default (%1)</source>
        <translation>默认（%1）</translation>
    </message>
    <message>
        <source>Default: %1</source>
        <translation>默认：%1</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
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
命令行：--%1</translation>
    </message>
    <message>
        <source>This task has no settings.</source>
        <translation>此任务没有设置。</translation>
    </message>
</context>
</TS>
