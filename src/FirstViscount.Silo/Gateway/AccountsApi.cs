using FirstViscount.Commerce.Accounts;
using FirstViscount.Commerce.Registration;
using FirstViscount.SiloHost.Gateway.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FirstViscount.SiloHost.Gateway;

public sealed record RegisterCustomerRequest(string? Email, string? Password, string? Name);
public sealed record RegisteredCustomer(string CustomerId);
public sealed record TokenRequest(string? Email, string? Password);
public sealed record CustomerProfile(string CustomerId, string Email, string Name, IReadOnlyDictionary<string, string> Preferences);

/// <summary>Registration, tokens, and the caller's own profile (API.md, Accounts).</summary>
internal static class AccountsApi
{
    public static void MapAccountsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/customers", RegisterAsync).AllowAnonymous().WithTags("Accounts").WithName("RegisterCustomer").WithSummary("Register a customer");
        app.MapPost("/v1/auth/token", IssueTokenAsync).AllowAnonymous().WithTags("Accounts").WithName("IssueToken").WithSummary("Get a bearer token for an e-mail and password")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        var me = app.MapGroup("/v1/customers/me").RequireAuthorization(Principals.CustomerPolicy).WithTags("Accounts");
        me.MapGet("", GetMeAsync).WithName("GetMe").WithSummary("The signed-in customer");
        me.MapPut("/preferences", SetPreferencesAsync).WithName("SetPreferences").WithSummary("Replace the customer's preferences");
    }

    private static async Task<Results<Created<RegisteredCustomer>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterCustomerRequest body, IGrainFactory grains)
    {
        var validation = new Validation()
            .Require(Validation.IsEmail(body.Email), "email", "A valid e-mail address is required.")
            .Require(body.Password is { Length: >= 8 and <= 128 }, "password", "The password must have 8 to 128 characters.")
            .Require(body.Name is { Length: >= 1 and <= 200 } && !string.IsNullOrWhiteSpace(body.Name), "name", "A name of 1 to 200 characters is required.");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        var customerId = $"c-{Guid.NewGuid():N}";
        var status = await grains.GetGrain<IRegistrationSagaGrain>(customerId)
            .Register(new RegistrationRequest(customerId, body.Email!.Trim(), body.Name!.Trim(), AccountPasswords.Hash(body.Password!)));
        return status.Phase switch
        {
            RegistrationPhase.Completed => TypedResults.Created($"/v1/customers/{customerId}", new RegisteredCustomer(customerId)),
            _ when status.EmailTaken =>
                TypedResults.Problem(statusCode: 409, title: "The e-mail address is already registered."),
            _ => TypedResults.Problem(statusCode: 503, title: "Registration could not be completed; retry shortly.", detail: status.FailureReason),
        };
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> IssueTokenAsync(TokenRequest body, IAccountStore accounts, TokenIssuer tokens)
    {
        if (string.IsNullOrEmpty(body.Email) || string.IsNullOrEmpty(body.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["credentials"] = ["E-mail and password are required."] });
        }
        var account = await accounts.FindByEmailAsync(body.Email, CancellationToken.None);
        if (account is null || !AccountPasswords.Verify(account.PasswordHash, body.Password))
        {
            return TypedResults.Problem(statusCode: 401, title: "The e-mail address or password is wrong.");
        }
        return TypedResults.Ok(await tokens.IssueAsync(account.CustomerId, account.Email, account.Role));
    }

    private static async Task<Results<Ok<CustomerProfile>, NotFound>> GetMeAsync(HttpContext http, IAccountStore accounts, IPreferencesStore preferences)
    {
        var customerId = http.User.CustomerId();
        var account = await accounts.GetAsync(customerId, http.RequestAborted);
        if (account is null)
        {
            return TypedResults.NotFound();
        }
        var prefs = await preferences.GetAsync(customerId, http.RequestAborted) ?? new Dictionary<string, string>();
        return TypedResults.Ok(new CustomerProfile(customerId, account.Email, account.Name, prefs));
    }

    private static async Task<Results<Ok<IReadOnlyDictionary<string, string>>, ValidationProblem>> SetPreferencesAsync(
        Dictionary<string, string> body, HttpContext http, IPreferencesStore preferences)
    {
        var validation = new Validation()
            .Require(body.Count <= 50, "preferences", "At most 50 preferences.")
            .Require(body.All(p => p.Key.Length is > 0 and <= 64 && p.Value.Length <= 1024), "preferences", "Keys have 1 to 64 characters and values at most 1024.");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }
        await preferences.SetAsync(http.User.CustomerId(), body, http.RequestAborted);
        return TypedResults.Ok<IReadOnlyDictionary<string, string>>(body);
    }
}
