// The audio reader's front: container probing and decoding of whatever FFmpeg accepts as a .wav.
#include "core/audio/audio_reader.h"
#include "core/common/error.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        benchtop::audio::AudioReaderOptions options;
        options.rejectTruncated = false;
        (void)benchtop::audio::decodeFile(benchtop::fuzz::scratchFile(data, size, ".wav"), options);
    } catch (const benchtop::Error&) {
    }
    return 0;
}
