using FirstViscount.Commerce.Catalog;
using FirstViscount.Commerce.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FirstViscount.SiloHost.Gateway;

public sealed record NotificationDto(string NotificationId, string? OrderId, string Template, int TemplateVersion, string Channel, string Address,
    string Subject, string Body, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);
public sealed record TemplateDto(string Template, string Channel, int Version, string Subject, string Body, bool Active, DateTimeOffset CreatedAt);
public sealed record TemplateRequest(string? Subject, string? Body, bool? Active);
public sealed record SupplierRequest(string? Email);
public sealed record SupplierDto(string Sku, string Email);
public sealed record TemplatePreview(string Template, string Channel, string Subject, string Body, IReadOnlyDictionary<string, string> SampleData);

/// <summary>Notifications (API.md): a customer's messages, an order's for admins, and the templates admins keep.</summary>
internal static class NotificationsApi
{
    private const int PageSize = 20;

    public static void MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/customers/me/notifications", async Task<Results<Ok<NotificationDto[]>, ValidationProblem>> (string? page, HttpContext http, NotificationStore store) =>
                await PageAsync(page, http, pageNumber => store.ListAsync(http.User.CustomerId(), null, pageNumber, PageSize, http.RequestAborted)))
            .RequireAuthorization(Principals.CustomerPolicy).WithTags("Notifications")
            .WithName("ListMyNotifications").WithSummary("The customer's messages, newest first, 20 a page");
        app.MapGet("/v1/admin/orders/{orderId}/notifications", async Task<Results<Ok<NotificationDto[]>, ValidationProblem>> (string orderId, string? page, HttpContext http, NotificationStore store) =>
                await PageAsync(page, http, pageNumber => store.ListAsync(null, orderId, pageNumber, PageSize, http.RequestAborted)))
            .RequireAuthorization(Principals.AdminPolicy).WithTags("Notifications")
            .WithName("ListOrderNotifications").WithSummary("The messages sent about an order, newest first, 20 a page");
        app.MapPut("/v1/products/{sku}/supplier", SetSupplierAsync).RequireAuthorization(Principals.AdminPolicy).WithTags("Catalog")
            .WithName("SetProductSupplier").WithSummary("Who supplies a SKU: where its low-stock messages go");
        var templates = app.MapGroup("/v1/admin/notification-templates").RequireAuthorization(Principals.AdminPolicy).WithTags("Notifications");
        templates.MapGet("", async (NotificationStore store, HttpContext http) => TypedResults.Ok((await store.TemplatesAsync(http.RequestAborted)).Select(ToDto).ToArray()))
            .WithName("ListNotificationTemplates").WithSummary("Each template's newest version per channel");
        templates.MapPut("/{template}/{channel}", PutAsync).WithName("PutNotificationTemplate").WithSummary("Store a new version of a template");
        templates.MapPost("/{template}/{channel}/preview", PreviewAsync).WithName("PreviewNotificationTemplate")
            .WithSummary("A template rendered with sample data: the stored one, or the subject and body given");
    }

    private static async Task<Results<Ok<NotificationDto[]>, ValidationProblem>> PageAsync(string? page, HttpContext http, Func<int, Task<IReadOnlyList<Notification>>> list)
    {
        var validation = new Validation();
        var pageNumber = Validation.ParseInt(page, "page", 1, 1, 1_000, validation);
        return validation.IsValid ? TypedResults.Ok((await list(pageNumber)).Select(ToDto).ToArray()) : TypedResults.ValidationProblem(validation.Errors);
    }

    private static async Task<Results<Ok<SupplierDto>, ValidationProblem>> SetSupplierAsync(string sku, SupplierRequest request, SupplierDirectory suppliers, HttpContext http)
    {
        var validation = new Validation()
            .Require(sku.Length is > 0 and <= 64 && sku.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'), "sku", "A sku has 1 to 64 letters, digits, '-', '_' or '.'.")
            .Require(Validation.IsEmail(request.Email), "email", "email is the supplier's e-mail address.");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        await suppliers.SetAsync(sku, request.Email!, http.RequestAborted);
        return TypedResults.Ok(new SupplierDto(sku, request.Email!));
    }

    private static async Task<Results<Ok<TemplateDto>, NotFound, ValidationProblem>> PutAsync(string template, string channel, TemplateRequest request,
        NotificationStore store, HttpContext http)
    {
        if (!NotificationTemplates.IsKnown(template) || !NotificationChannels.All.Contains(channel))
        {
            return TypedResults.NotFound();
        }
        if (Validate(template, channel, request.Subject, request.Body) is { IsValid: false } validation)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        var stored = await store.PutAsync(template, channel, request.Subject ?? "", request.Body!, request.Active ?? true, http.RequestAborted);
        return TypedResults.Ok(ToDto(stored));
    }

    private static async Task<Results<Ok<TemplatePreview>, NotFound, ValidationProblem>> PreviewAsync(string template, string channel, TemplateRequest? request,
        NotificationStore store, HttpContext http)
    {
        if (!NotificationTemplates.IsKnown(template) || !NotificationChannels.All.Contains(channel))
        {
            return TypedResults.NotFound();
        }
        var (subject, body) = (request?.Subject, request?.Body);
        if (body is null)
        {
            if (await store.NewestAsync(template, channel, http.RequestAborted) is not { } stored)
            {
                return TypedResults.NotFound();
            }
            (subject, body) = (subject ?? stored.Subject, stored.Body);
        }
        if (Validate(template, channel, subject, body) is { IsValid: false } validation)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        var sample = NotificationTemplates.Samples[template];
        return TypedResults.Ok(new TemplatePreview(template, channel, NotificationTemplates.Render(subject ?? "", sample), NotificationTemplates.Render(body, sample), sample));
    }

    private static Validation Validate(string template, string channel, string? subject, string? body)
    {
        var validation = new Validation()
            .Require(body is { Length: > 0 and <= 10_000 } && Validation.IsPlainText(body.Replace("\n", "").Replace("\r", "")), "body",
                "body is 1 to 10000 characters.")
            .Require(subject is null || (subject.Length <= 200 && Validation.IsPlainText(subject)), "subject", "subject is at most 200 characters, on one line.")
            .Require(channel != NotificationChannels.Email || !string.IsNullOrWhiteSpace(subject), "subject", "An e-mail needs a subject.");
        var unknown = NotificationTemplates.UnknownVariables(template, $"{subject} {body}");
        validation.Require(unknown.Count == 0, "body",
            $"{string.Join(", ", unknown.Select(v => $"{{{{{v}}}}}"))} is not a variable of {template}; it has {string.Join(", ", NotificationTemplates.Samples[template].Keys.Select(v => $"{{{{{v}}}}}"))}.");
        return validation;
    }

    private static NotificationDto ToDto(Notification n) =>
        new(n.NotificationId, n.OrderId, n.Template, n.TemplateVersion, n.Channel, n.Address, n.Subject, n.Body, n.Status.ToString(), n.Attempts, n.CreatedAt, n.SentAt);

    private static TemplateDto ToDto(NotificationTemplate t) => new(t.Template, t.Channel, t.Version, t.Subject, t.Body, t.Active, t.CreatedAt);
}
