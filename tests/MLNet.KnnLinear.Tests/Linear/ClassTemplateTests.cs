using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Linear;

public sealed class ClassTemplateTests
{
    [Fact]
    public void LinearModelParameters_SaveClassTemplates_WritesOnePngPerClassAndAGrid()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(80, 12, seed: 1, scale: 0.1f), 12);
        var model = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Loss = LinearLoss.Softmax }).Fit(data);
        string dir = RepoPaths.NewTempDirectory();

        var files = model.Model.SaveClassTemplates(dir, height: 2, width: 2, channels: 3, planar: true, classNames: model.ClassNames);

        files.Should().HaveCount(5);
        files[0].Should().EndWith("class-0-ant.png");
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            bytes.Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "a PNG signature");
            int width = (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19];
            width.Should().Be(file.EndsWith("templates.png") ? 8 : 2);
        }

        FluentActions.Invoking(() => model.Model.SaveClassTemplates(dir, 3, 3)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*12 features*");
    }
}
