using LstmLab.Numerics;

namespace LstmLab.Layers;

/// <summary>A trainable weight (Keras "variable") and the gradient accumulated for it by backward passes.</summary>
public sealed class Parameter
{
    /// <exception cref="InsufficientMemoryException">The weight, its gradient and an optimizer's two slots would not fit in the memory this process may use (checked before allocating).</exception>
    public Parameter(string name, Shape shape)
    {
        MemoryBudget.Require(4L * shape.Size * sizeof(float), $"Weight '{name}' of shape {shape} (its values, gradient and optimizer state)");
        Name = name;
        Value = new Tensor(shape);
        Gradient = new Tensor(shape);
    }

    /// <summary>The Keras weight name: <c>kernel</c>, <c>recurrent_kernel</c> or <c>bias</c>.</summary>
    public string Name { get; }

    /// <summary>The weight values.</summary>
    public Tensor Value { get; }

    /// <summary>dLoss/dValue, accumulated (+=) by backward passes and cleared before each batch.</summary>
    public Tensor Gradient { get; }

    /// <summary>The shape of the weight.</summary>
    public Shape Shape => Value.Shape;

    /// <summary>Copies <paramref name="values"/> into the weight, checking the length.</summary>
    /// <exception cref="ArgumentException">The number of values differs from the weight's size.</exception>
    public void Assign(ReadOnlySpan<float> values)
    {
        if (values.Length != Value.Size)
            throw new ArgumentException($"Weight '{Name}' has shape {Shape} ({Value.Size} values) but {values.Length} values were given.", nameof(values));
        values.CopyTo(Value.Span);
    }
}
