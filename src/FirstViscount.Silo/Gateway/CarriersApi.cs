using System.Text.Json;
using FirstViscount.Commerce.Delivery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace FirstViscount.SiloHost.Gateway;

public sealed record CarrierEventAccepted(string ShipmentId, string Status);
public sealed record CarrierAccountRequest(string? WebhookSecret, string? Credentials);

/// <summary>
/// Carriers (API.md): their webhooks post tracking events, signed with the carrier's secret (<see cref="CarrierSignature"/>);
/// admins set each carrier's secret and credentials, which are kept encrypted and never answered.
/// </summary>
internal static class CarriersApi
{
    private const int MaxEventBytes = 16 * 1024;

    /// <summary>What a carrier may report; the rest are the platform's own states.</summary>
    private static readonly ShipmentStatus[] Reportable =
        [ShipmentStatus.Shipped, ShipmentStatus.InTransit, ShipmentStatus.Delivered, ShipmentStatus.Exception, ShipmentStatus.Returned];

    public static void MapCarriersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/carriers/{carrier}/events", ReceiveEventAsync).AllowAnonymous().WithTags("Carriers")
            .Accepts<CarrierEvent>("application/json")
            .WithName("PostCarrierEvent").WithSummary("A carrier's tracking event, signed with the carrier's webhook secret (header FV-Signature)");
        app.MapGet("/v1/admin/carriers", async (ICarrierAccounts accounts, HttpContext http) => TypedResults.Ok(await accounts.ListAsync(http.RequestAborted)))
            .RequireAuthorization(Principals.AdminPolicy).WithTags("Carriers")
            .WithName("ListCarriers").WithSummary("The carriers, and whether each one's webhook secret and credentials are set");
        app.MapPut("/v1/admin/carriers/{carrier}", SetAccountAsync).RequireAuthorization(Principals.AdminPolicy).WithTags("Carriers")
            .WithName("SetCarrierAccount").WithSummary("Set a carrier's webhook secret and credentials (stored encrypted)");
    }

    private static async Task<Results<Ok<CarrierEventAccepted>, NotFound, ValidationProblem, ProblemHttpResult>> ReceiveEventAsync(
        string carrier, HttpContext http, ICarrierAccounts accounts, IGrainFactory grains, IOptions<JsonOptions> json, TimeProvider time)
    {
        if (!CarrierRules.Carriers.Contains(carrier))
        {
            return TypedResults.NotFound();
        }
        var body = await ReadBodyAsync(http, http.RequestAborted);
        var account = await accounts.GetAsync(carrier, http.RequestAborted);
        var refused = account is null
            ? $"Carrier {carrier} has no webhook secret set."
            : CarrierSignature.Verify(account.WebhookSecret, body, http.Request.Headers[CarrierSignature.Header], time.GetUtcNow());
        if (refused is not null)
        {
            return Unauthorized(http, refused);
        }
        CarrierEvent? report;
        try
        {
            report = JsonSerializer.Deserialize<CarrierEvent>(body, json.Value.SerializerOptions);
        }
        catch (JsonException error)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"The body is not a carrier event: {error.Message}"] });
        }
        if (Validate(report) is { IsValid: false } validation)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        var shipment = grains.GetGrain<IShipmentGrain>(report!.ShipmentId);
        if (await shipment.Get() is not { } current || current.Carrier != carrier || current.TrackingNumber != report.TrackingNumber)
        {
            return TypedResults.NotFound();
        }
        var tracked = await shipment.Track(new TrackingUpdate(report.EventId, report.Status, report.CarrierStatus, report.Location, report.Description, report.OccurredAt));
        return TypedResults.Ok(new CarrierEventAccepted(tracked.ShipmentId, tracked.Status.ToString()));
    }

    private static Validation Validate(CarrierEvent? report)
    {
        var validation = new Validation();
        if (report is null)
        {
            return validation.Require(false, "body", "The body is a carrier event object.");
        }
        static bool Text(string? value, int max) => value is { Length: > 0 } && value.Length <= max && Validation.IsPlainText(value);
        validation.Require(Text(report.EventId, 200), "eventId", "eventId is the carrier's id of the event, 1 to 200 characters.")
            .Require(Text(report.ShipmentId, 100), "shipmentId", "shipmentId is the shipment the event is about, as given when its label was booked.")
            .Require(Text(report.TrackingNumber, 40), "trackingNumber", "trackingNumber is the shipment's tracking number.")
            .Require(Reportable.Contains(report.Status), "status", $"status is one of {string.Join(", ", Reportable)}.")
            .Require(Text(report.CarrierStatus, 100), "carrierStatus", "carrierStatus is the carrier's own code, 1 to 100 characters.")
            .Require(Text(report.Location, 200), "location", "location is 1 to 200 characters.")
            .Require(report.Description is not null && report.Description.Length <= 500 && Validation.IsPlainText(report.Description), "description", "description is at most 500 characters.")
            .Require(report.OccurredAt != default, "occurredAt", "occurredAt is when the event happened (ISO 8601 with an offset).");
        return validation;
    }

    private static async Task<Results<Ok<CarrierAccountSummary>, NotFound, ValidationProblem>> SetAccountAsync(
        string carrier, CarrierAccountRequest request, ICarrierAccounts accounts, HttpContext http)
    {
        if (!CarrierRules.Carriers.Contains(carrier))
        {
            return TypedResults.NotFound();
        }
        var validation = new Validation()
            .Require(request.WebhookSecret is { Length: >= 32 and <= 200 } && Validation.IsPlainText(request.WebhookSecret), "webhookSecret",
                "webhookSecret is 32 to 200 characters (the carrier signs its webhooks with it).")
            .Require(request.Credentials is null || (request.Credentials.Length <= 4_000 && Validation.IsPlainText(request.Credentials)), "credentials",
                "credentials are at most 4000 characters.");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        var account = await accounts.SetAsync(carrier, request.WebhookSecret!, request.Credentials, http.RequestAborted);
        return TypedResults.Ok(new CarrierAccountSummary(carrier, true, account.Credentials is not null, account.UpdatedAt));
    }

    /// <summary>
    /// The body's bytes, exactly as signed. Longer than <see cref="MaxEventBytes"/>, the server's own limit refuses it
    /// (BadHttpRequestException 413, which ExceptionMapping answers).
    /// </summary>
    private static async Task<byte[]> ReadBodyAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxEventBytes;
        }
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static ProblemHttpResult Unauthorized(HttpContext http, string reason)
    {
        http.Response.Headers.WWWAuthenticate = CarrierSignature.Header;
        return TypedResults.Problem(statusCode: 401, title: "The carrier event is not signed with the carrier's webhook secret.", detail: reason);
    }
}
