using System.Runtime.InteropServices;
using Google.Protobuf;

namespace LstmLab.Interchange.Onnx;

/// <summary>
/// A small builder of an ONNX <c>ModelProto</c>, serialized with Google.Protobuf's <see cref="CodedOutputStream"/>
/// field by field (no generated classes, no protoc). Field numbers are those of <c>onnx/onnx.proto</c>:
/// ModelProto{ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8},
/// GraphProto{node 1, name 2, initializer 5, input 11, output 12},
/// NodeProto{input 1, output 2, name 3, op_type 4, attribute 5},
/// AttributeProto{name 1, f 2, i 3, s 4, t 5, floats 7, ints 8, strings 9, type 20},
/// TensorProto{dims 1, data_type 2, name 8, raw_data 9}, ValueInfoProto{name 1, type 2},
/// TypeProto{tensor_type 1}, TypeProto.Tensor{elem_type 1, shape 2}, TensorShapeProto{dim 1},
/// Dimension{dim_value 1, dim_param 2}, OperatorSetIdProto{domain 1, version 2}.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>A one-element float tensor attribute (ConstantOfShape's <c>value</c>).</summary>
    public readonly record struct ScalarTensor(float Value);

    public const int Float = 1, Int64 = 7, Bool = 9;
    private const int AttrFloat = 1, AttrInt = 2, AttrString = 3, AttrTensor = 4, AttrFloats = 6, AttrInts = 7, AttrStrings = 8;

    private readonly List<byte[]> _nodes = [], _initializers = [], _inputs = [], _outputs = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    /// <summary>A fresh value name with the given stem.</summary>
    public string Name(string stem)
    {
        string name = $"{stem}_{_counter++}";
        _names.Add(name);
        return name;
    }

    /// <summary>Adds a node; returns its first output's name.</summary>
    public string Node(string op, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        byte[] node = Message(w =>
        {
            foreach (string i in inputs)
                String(w, 1, i);
            foreach (string o in outputs)
                String(w, 2, o);
            String(w, 3, Name(op.ToLowerInvariant()));
            String(w, 4, op);
            foreach ((string name, object value) in attributes)
                Nested(w, 5, Attribute(name, value));
        });
        _nodes.Add(node);
        return outputs[0];
    }

    /// <summary>Adds a node with one fresh output.</summary>
    public string Op(string op, string[] inputs, params (string Name, object Value)[] attributes) =>
        Node(op, inputs, [Name(op.ToLowerInvariant())], attributes);

    public string Initializer(string stem, ReadOnlySpan<float> values, params long[] dims)
    {
        string name = Name(stem);
        _initializers.Add(Tensor(name, Float, dims, MemoryMarshal.AsBytes(values).ToArray()));
        return name;
    }

    public string Initializer(string stem, long[] values)
    {
        string name = Name(stem);
        _initializers.Add(Tensor(name, Int64, [values.Length], MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));
        return name;
    }

    /// <summary>A graph input or output; a dimension is a size (≥ 0) or a symbolic name (string).</summary>
    public void Input(string name, int elemType, params object[] dims) => _inputs.Add(ValueInfo(name, elemType, dims));

    public void Output(string name, int elemType, params object[] dims) => _outputs.Add(ValueInfo(name, elemType, dims));

    public byte[] ToModel(string producerVersion, int opset) => Message(w =>
    {
        w.WriteTag(1, WireFormat.WireType.Varint);
        w.WriteInt64(8);                                                   // ir_version 8 (ONNX 1.10+)
        String(w, 2, "LstmLab");
        String(w, 3, producerVersion);
        Nested(w, 7, Message(g =>
        {
            foreach (byte[] n in _nodes)
                Nested(g, 1, n);
            String(g, 2, "lstmlab");
            foreach (byte[] t in _initializers)
                Nested(g, 5, t);
            foreach (byte[] i in _inputs)
                Nested(g, 11, i);
            foreach (byte[] o in _outputs)
                Nested(g, 12, o);
        }));
        Nested(w, 8, Message(o =>
        {
            String(o, 1, "");
            o.WriteTag(2, WireFormat.WireType.Varint);
            o.WriteInt64(opset);
        }));
    });

    private static byte[] Attribute(string name, object value) => Message(w =>
    {
        String(w, 1, name);
        switch (value)
        {
            case float f:
                w.WriteTag(2, WireFormat.WireType.Fixed32);
                w.WriteFloat(f);
                Type(w, AttrFloat);
                break;
            case long i:
                w.WriteTag(3, WireFormat.WireType.Varint);
                w.WriteInt64(i);
                Type(w, AttrInt);
                break;
            case float[] fs:
                foreach (float f in fs)
                {
                    w.WriteTag(7, WireFormat.WireType.Fixed32);
                    w.WriteFloat(f);
                }
                Type(w, AttrFloats);
                break;
            case long[] ints:
                foreach (long i in ints)
                {
                    w.WriteTag(8, WireFormat.WireType.Varint);
                    w.WriteInt64(i);
                }
                Type(w, AttrInts);
                break;
            case string text:
                String(w, 4, text);
                Type(w, AttrString);
                break;
            case string[] strings:
                foreach (string s in strings)
                    String(w, 9, s);
                Type(w, AttrStrings);
                break;
            case ScalarTensor scalar:
                Nested(w, 5, Tensor("", Float, [1], BitConverter.GetBytes(scalar.Value)));
                Type(w, AttrTensor);
                break;
            default:
                throw new InvalidOperationException($"Attribute '{name}' has a value of type {value.GetType().Name} the writer does not know.");
        }
    });

    private static void Type(CodedOutputStream w, int type)
    {
        w.WriteTag(20, WireFormat.WireType.Varint);
        w.WriteInt32(type);
    }

    private static byte[] Tensor(string name, int type, long[] dims, byte[] raw) => Message(w =>
    {
        foreach (long d in dims)
        {
            w.WriteTag(1, WireFormat.WireType.Varint);
            w.WriteInt64(d);
        }
        w.WriteTag(2, WireFormat.WireType.Varint);
        w.WriteInt32(type);
        if (name.Length > 0)
            String(w, 8, name);
        w.WriteTag(9, WireFormat.WireType.LengthDelimited);
        w.WriteBytes(ByteString.CopyFrom(raw));
    });

    private static byte[] ValueInfo(string name, int elemType, object[] dims) => Message(w =>
    {
        String(w, 1, name);
        Nested(w, 2, Message(t => Nested(t, 1, Message(tensor =>
        {
            tensor.WriteTag(1, WireFormat.WireType.Varint);
            tensor.WriteInt32(elemType);
            Nested(tensor, 2, Message(shape =>
            {
                foreach (object d in dims)
                {
                    Nested(shape, 1, Message(dim =>
                    {
                        if (d is string symbol)
                        {
                            String(dim, 2, symbol);
                        }
                        else
                        {
                            dim.WriteTag(1, WireFormat.WireType.Varint);
                            dim.WriteInt64(Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }));
                }
            }));
        }))));
    });

    private static void String(CodedOutputStream w, int field, string value)
    {
        w.WriteTag(field, WireFormat.WireType.LengthDelimited);
        w.WriteString(value);
    }

    private static void Nested(CodedOutputStream w, int field, byte[] message)
    {
        w.WriteTag(field, WireFormat.WireType.LengthDelimited);
        w.WriteBytes(ByteString.CopyFrom(message));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(w);
            w.Flush();
        }
        return buffer.ToArray();
    }
}
