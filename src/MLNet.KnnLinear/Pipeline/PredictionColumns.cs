using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// The two columns every multiclass trainer here appends, shaped as ML.NET's evaluator expects: <c>Score</c>, a
/// vector of Single with one probability per label key value in key order (slot names = class names), and
/// <c>PredictedLabel</c>, a key of the label's cardinality carrying its <c>KeyValues</c>.
/// </summary>
internal static class PredictionColumns
{
    public const int Score = 0;
    public const int PredictedLabel = 1;
    public const string ScoreName = "Score";
    public const string PredictedLabelName = "PredictedLabel";

    public static MappedColumn[] Create(int classCount, LabelKeyValues? classNames)
    {
        var scoreAnnotations = new DataViewSchema.Annotations.Builder();
        var labelAnnotations = new DataViewSchema.Annotations.Builder();
        if (classNames is not null && classNames.Count == classCount)
        {
            classNames.AddSlotNames(scoreAnnotations);
            classNames.AddKeyValues(labelAnnotations);
        }

        return
        [
            new MappedColumn(ScoreName, new VectorDataViewType(NumberDataViewType.Single, classCount), scoreAnnotations.ToAnnotations()),
            new MappedColumn(PredictedLabelName, new KeyDataViewType(typeof(uint), classCount), labelAnnotations.ToAnnotations()),
        ];
    }
}
