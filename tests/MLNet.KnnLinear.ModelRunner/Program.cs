using Microsoft.ML;
using MLNet.KnnLinear.ModelRunner;

// Usage: ModelRunner <model.zip> <data.idv> <output.bin> <column>...
// Loads the model with mlContext.Model.Load, transforms the data (ML.NET's binary data view format) and writes
// the bits of the named output columns, row after row, to output.bin.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: ModelRunner <model.zip> <data.idv> <output.bin> <column>...");
    return 2;
}

var ml = new MLContext(seed: 1);
var model = ml.Model.Load(args[0], out _);
var data = ml.Data.LoadFromBinary(args[1]);
var rows = ColumnDump.Rows(model.Transform(data), args[3..]);
using var output = new BinaryWriter(File.Create(args[2]));
output.Write(rows.Count);
foreach (var (_, bytes) in rows)
{
    output.Write(bytes.Length);
    output.Write(bytes);
}

Console.WriteLine($"ModelRunner: {rows.Count} rows of {string.Join(", ", args[3..])} written to {args[2]}");
return 0;
