using System.Linq;
using Microsoft.CodeAnalysis;

namespace FirstViscount.Runtime.Generators;

/// <summary>Recognises grain interfaces and grain classes, and names types for generated code.</summary>
internal static class GrainSymbols
{
    private static readonly SymbolDisplayFormat QualifiedWithNullability =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static bool IsGrainInterface(INamedTypeSymbol symbol) =>
        symbol.TypeKind == TypeKind.Interface
        && !IsMarker(symbol)
        && symbol.AllInterfaces.Any(IsRootMarker);

    public static bool IsGrainClass(INamedTypeSymbol symbol)
    {
        if (symbol.TypeKind != TypeKind.Class || symbol.IsAbstract || symbol.IsGenericType || !IsAccessible(symbol))
        {
            return false;
        }
        for (var type = symbol.BaseType; type is not null; type = type.BaseType)
        {
            if (type.Name == "Grain" && type.ContainingNamespace?.ToDisplayString() == "FirstViscount")
            {
                return symbol.AllInterfaces.Any(IsGrainInterface);
            }
        }
        return false;
    }

    /// <summary>Generated code lives in the same assembly, so internal is enough; private nesting is not.</summary>
    public static bool IsAccessible(INamedTypeSymbol symbol)
    {
        for (ISymbol? current = symbol; current is INamedTypeSymbol type; current = type.ContainingType)
        {
            if (type.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }
        return true;
    }

    public static string TypeName(ITypeSymbol type) => type.ToDisplayString(QualifiedWithNullability);

    /// <summary>The name <c>Type.FullName</c> gives at run time (nested types joined by '+').</summary>
    public static string MetadataName(INamedTypeSymbol symbol)
    {
        var name = symbol.MetadataName;
        for (var outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }
        var ns = symbol.ContainingType is null ? symbol.ContainingNamespace : OutermostType(symbol).ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? name : ns.ToDisplayString() + "." + name;
    }

    /// <summary>A method's stable key: name and parameter types, as caller and callee both compute it.</summary>
    public static string MethodKey(IMethodSymbol method) =>
        method.Name + "(" + string.Join(",", method.Parameters.Select(p =>
            p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", ""))) + ")";

    public static bool IsCancellationToken(ITypeSymbol type) =>
        type.Name == "CancellationToken" && type.ContainingNamespace?.ToDisplayString() == "System.Threading";

    public static bool HasAttribute(ISymbol symbol, string name) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.Name == name && a.AttributeClass.ContainingNamespace?.ToDisplayString() == "FirstViscount");

    private static INamedTypeSymbol OutermostType(INamedTypeSymbol symbol)
    {
        while (symbol.ContainingType is not null)
        {
            symbol = symbol.ContainingType;
        }
        return symbol;
    }

    private static bool IsRootMarker(INamedTypeSymbol symbol) =>
        symbol.Name == "IGrain" && symbol.ContainingNamespace?.ToDisplayString() == "FirstViscount";

    private static bool IsMarker(INamedTypeSymbol symbol) =>
        symbol.ContainingNamespace?.ToDisplayString() == "FirstViscount"
        && symbol.Name is "IGrain" or "IGrainWithStringKey" or "IGrainWithGuidKey" or "IGrainWithIntegerKey";
}
