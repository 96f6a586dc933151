using Microsoft.ML;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// The per-cursor working set of a <see cref="RowMapping"/>: input values of up to
/// <see cref="RowMapping.BlockRows"/> rows, and the outputs computed from them.
/// </summary>
internal abstract class RowBlock
{
    /// <summary>Makes room for <paramref name="rows"/> rows; slots 0 .. rows − 1 may then be appended (earlier contents are lost).</summary>
    public abstract void Reserve(int rows);

    /// <summary>Creates the input getters on <paramref name="source"/>; later <see cref="Append"/> calls read its current row.</summary>
    public abstract void Bind(DataViewRow source);

    /// <summary>Copies the inputs of the bound source's current row into <paramref name="slot"/>, validating them.</summary>
    public abstract void Append(int slot);

    /// <summary>Computes the outputs of slots 0 .. <paramref name="count"/> − 1.</summary>
    public abstract void Compute(int count);

    /// <summary>
    /// A getter of appended column <paramref name="column"/> (an index into <see cref="RowMapping.Columns"/>), of
    /// the column's type, reading slot <paramref name="slot"/>(), which computes the slot if needed.
    /// </summary>
    public abstract Delegate CreateGetter(int column, Func<int> slot);

    /// <summary>
    /// Called when the cursor that used this block is disposed: its getters are never called again, and the block may
    /// be given to the mapping's next cursor (which binds it to its own source).
    /// </summary>
    public virtual void Release()
    {
    }
}
