using Tuneforge.Engine.Training;

namespace Tuneforge.Engine.Tests.Training;

public sealed class ProcessMemoryTests
{
    [Theory]
    [InlineData("VmHWM:\t    1234 kB", 1234L * 1024)]
    [InlineData("VmHWM:\t15460552 kB", 15460552L * 1024)]     // 14.7 GiB: eight digits fill the field, no space before them
    [InlineData("VmHWM:\t123456789 kB", 123456789L * 1024)]
    public void A_status_line_gives_its_bytes_at_every_width(string line, long bytes) =>
        Assert.Equal(bytes, ProcessMemory.Kilobytes(line, "VmHWM:"));

    [Fact]
    public void This_process_reports_a_peak_at_least_its_current_size()
    {
        var peak = ProcessMemory.PeakRssBytes();
        var now = ProcessMemory.RssBytes();
        Assert.NotNull(peak);
        Assert.NotNull(now);
        Assert.True(peak >= now * 0.99, $"peak {peak} below current {now}");
    }
}
