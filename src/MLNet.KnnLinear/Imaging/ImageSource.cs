using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// The input side of an image featurizer as the user described it (column, optional size, channels of a pixel
/// vector, layout); <see cref="Bind"/> checks it against a schema and fixes the image size.
/// </summary>
internal sealed record ImageSource(string Column, int Height, int Width, int Channels, PixelLayout Layout)
{
    public ImageColumn Bind(DataViewSchema schema)
    {
        var column = ColumnChecks.Require(schema, Column, "Image");
        return column.Type switch
        {
            ImageDataViewType image => BindImage(column, image),
            VectorDataViewType { Size: > 0 } vector when vector.ItemType == NumberDataViewType.Byte || vector.ItemType == NumberDataViewType.Single
                => BindVector(column, vector),
            _ => throw new ArgumentOutOfRangeException(nameof(schema), $"Image column '{Column}' must be an image (MLImage, as LoadImages produces) or a known-size vector of Byte or Single pixels; found {column.Type}."),
        };
    }

    /// <summary>The checks that can be made on an estimator's schema shape (sizes are not part of a shape).</summary>
    public void Check(SchemaShape schema)
    {
        var column = ColumnChecks.Require(schema, Column, "Image");
        bool image = column.Kind == SchemaShape.Column.VectorKind.Scalar && column.ItemType is ImageDataViewType;
        bool vector = column.Kind == SchemaShape.Column.VectorKind.Vector && !column.IsKey
            && (column.ItemType == NumberDataViewType.Byte || column.ItemType == NumberDataViewType.Single);
        if (!image && !vector)
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Image column '{Column}' must be an image (MLImage, as LoadImages produces) or a known-size vector of Byte or Single pixels; found {column.Kind} of {column.ItemType}.");
        }

        if (image)
        {
            BindImageSize((ImageDataViewType)column.ItemType);
        }
    }

    public void Write(BinaryWriter writer)
    {
        writer.WriteUtf8(Column);
        writer.Write(Height);
        writer.Write(Width);
        writer.Write(Channels);
        writer.Write((int)Layout);
    }

    public static ImageSource Read(ModelStateReader reader)
        => new(
            reader.ReadString("input column"),
            reader.ReadInt32("image height", 0, 1 << 16),
            reader.ReadInt32("image width", 0, 1 << 16),
            reader.ReadInt32("channels", 1, 3),
            reader.ReadEnum<PixelLayout>("pixel layout"));

    private ImageColumn BindImage(DataViewSchema.Column column, ImageDataViewType type)
    {
        var (height, width) = BindImageSize(type);
        return new ImageColumn(column, ImageColumnKind.Image, height, width, 3, PixelLayout.Interleaved);
    }

    private (int Height, int Width) BindImageSize(ImageDataViewType type)
    {
        int height = Pick(type.Height, Height, nameof(Height));
        int width = Pick(type.Width, Width, nameof(Width));
        if (height == 0 || width == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Height), $"Image column '{Column}' has no fixed size; set ImageHeight and ImageWidth, or resize the images first with ResizeImages.");
        }

        return (height, width);
    }

    private int Pick(int fromType, int fromOptions, string what)
    {
        if (fromType > 0 && fromOptions > 0 && fromType != fromOptions)
        {
            throw new ArgumentOutOfRangeException(what, $"Image column '{Column}' holds images of {what.ToLowerInvariant()} {fromType}; the options say Image{what} = {fromOptions}.");
        }

        return fromType > 0 ? fromType : fromOptions;
    }

    private ImageColumn BindVector(DataViewSchema.Column column, VectorDataViewType type)
    {
        int pixels = type.Size / Channels;
        int height = Height;
        int width = Width;
        if (height == 0 && width == 0)
        {
            int side = (int)Math.Round(Math.Sqrt(pixels));
            (height, width) = (side, side);
        }
        else if (height == 0)
        {
            height = pixels / width;
        }
        else if (width == 0)
        {
            width = pixels / height;
        }

        if ((long)height * width * Channels != type.Size || height == 0 || width == 0)
        {
            string size = Height == 0 && Width == 0 ? "a square image" : $"{(Height == 0 ? "?" : Height)} × {(Width == 0 ? "?" : Width)}";
            throw new ArgumentOutOfRangeException(nameof(type), $"Pixel column '{Column}' has {type.Size} values, which is not {size} × {Channels} channel(s); set ImageHeight, ImageWidth and VectorChannels to the images' shape.");
        }

        var kind = type.ItemType == NumberDataViewType.Byte ? ImageColumnKind.Bytes : ImageColumnKind.Singles;
        return new ImageColumn(column, kind, height, width, Channels, Layout);
    }
}
