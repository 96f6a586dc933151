using MLNet.KnnLinear.Imaging;

namespace MLNet.KnnLinear.Tests.Kernels;

/// <summary>
/// Trilinear voting's dense block path (<see cref="HogTrilinearDenseVote"/>) against its twin, the pixel-by-pixel
/// scalar loop: bit-identical block histograms for every block shape the dense path takes (1 to 4 cells, uneven cells,
/// 2 to 16 orientations, signed or not, strides of one and two cells), on whole-number gradients (zeros, axes, ties)
/// and fractional ones. The dense path runs wherever Vector256 is hardware; elsewhere it is the software form.
/// </summary>
public sealed class HogTrilinearDenseVoteTests
{
    [Theory]
    [InlineData(9, false, 8, 8, 2, 2, 1)]
    [InlineData(9, true, 8, 8, 2, 2, 2)]
    [InlineData(2, false, 6, 4, 2, 2, 1)]
    [InlineData(16, false, 5, 7, 1, 2, 1)]
    [InlineData(12, true, 4, 4, 2, 1, 1)]
    [InlineData(8, false, 8, 8, 1, 1, 1)]
    public void DenseBlocks_EqualTheScalarLoop(int orientations, bool signed, int cellHeight, int cellWidth, int blockHeight, int blockWidth, int stride)
    {
        var parameters = new HogParameters(orientations, cellHeight, cellWidth, blockHeight, blockWidth, stride, HogBlockNormalization.None, signed, SqrtCompression: false, HogVoting.Trilinear, HogColorMode.MaxGradientChannel);
        HogTrilinearDenseVote.Supports(orientations, blockHeight * blockWidth).Should().BeTrue();
        const int Height = 37;
        const int Width = 45;
        var geometry = parameters.GeometryFor(Height, Width, "test");
        var voting = new HogTrilinearVoting(parameters, geometry);
        var random = new Random(orientations + cellHeight);
        foreach (bool whole in new[] { true, false })
        {
            int rows = voting.PixelRows(0, geometry.BlocksDown);
            var gx = new float[rows * Width];
            var gy = new float[rows * Width];
            for (int i = 0; i < gx.Length; i++)
            {
                (gx[i], gy[i]) = whole ? (random.Next(-2, 3), random.Next(-2, 3)) : ((float)(random.NextDouble() - 0.5) * 400, (float)(random.NextDouble() - 0.5) * 400);
            }

            var dense = Votes(voting, true, gx, gy, geometry.BlocksDown, parameters.BlockLength * geometry.BlocksDown * geometry.BlocksAcross);
            var scalar = Votes(voting, false, gx, gy, geometry.BlocksDown, dense.Length);
            scalar.Should().Contain(v => v > 0);
            dense.Select(BitConverter.SingleToInt32Bits).Should().Equal(scalar.Select(BitConverter.SingleToInt32Bits), whole ? "whole-number gradients" : "fractional gradients");
        }
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(17, 4)]
    [InlineData(9, 6)]
    public void ShapesItCannotHold_TakeTheScalarLoop(int orientations, int cells)
        => HogTrilinearDenseVote.Supports(orientations, cells).Should().BeFalse();

    private static float[] Votes(HogTrilinearVoting voting, bool dense, float[] gx, float[] gy, int blockRows, int length)
    {
        voting.DenseVoting = dense;
        var blocks = new float[length];
        Array.Fill(blocks, float.NaN); // every value must be written
        var work = new float[voting.WorkLength(voting.PixelRows(0, blockRows))];
        voting.Vote(gx, gy, 0, blockRows, work, blocks);
        return blocks;
    }
}
