using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;

namespace Tuneforge.Targets;

/// <summary>An s3:// remote from the build's parameters, with credentials resolved as the AWS tools do, from the build's
/// environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), else the profile AWS_PROFILE names
/// (AWS_SHARED_CREDENTIALS_FILE, ~/.aws), else the SDK's own chain (the default profile, instance and container roles).</summary>
internal static class S3Stores
{
    public static IRemoteStore Open(string location, NukeBuild build, IReadOnlyDictionary<string, string> environment)
    {
        var slash = location.IndexOf('/');
        var bucket = slash < 0 ? location : location[..slash];
        var prefix = slash < 0 ? "" : location[(slash + 1)..].Trim('/');
        if (bucket.Length == 0 || bucket.Contains('@') || bucket.Contains(':'))
            throw new BuildException($"--cache-remote: 's3://{RemoteStores.Redacted(location)}' names no bucket; use s3://bucket/prefix (credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE).");
        var region = build.CacheRemoteRegion ?? Variable(environment, "AWS_REGION") ?? Variable(environment, "AWS_DEFAULT_REGION") ?? "us-east-1";
        var endpoint = build.CacheRemoteEndpoint;
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            throw new BuildException($"--cache-remote-endpoint: '{RemoteStores.Redacted(endpoint)}' is not a URL; e.g. http://127.0.0.1:8080.");
        var config = new AmazonS3Config
        {
            ForcePathStyle = build.CacheRemotePathStyle ?? endpoint is not null,
            // The SDK's default CRC trailer needs chunked uploads; with them off, the payload's SHA-256 is signed instead.
            RequestChecksumCalculation = build.CacheRemoteChunkedEncoding ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 2,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region;
        }
        else config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        var credentials = Credentials(environment);
        var client = credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
        return new S3RemoteStore(client, bucket, prefix, endpoint, build.CacheRemoteChunkedEncoding);
    }

    static AWSCredentials? Credentials(IReadOnlyDictionary<string, string> environment)
    {
        if (Variable(environment, "AWS_ACCESS_KEY_ID") is { } id && Variable(environment, "AWS_SECRET_ACCESS_KEY") is { } secret)
            return Variable(environment, "AWS_SESSION_TOKEN") is { } token ? new SessionAWSCredentials(id, secret, token) : new BasicAWSCredentials(id, secret);
        if (Variable(environment, "AWS_PROFILE") is not { } profile) return null;
        var store = new CredentialProfileStoreChain(Variable(environment, "AWS_SHARED_CREDENTIALS_FILE"));
        return store.TryGetAWSCredentials(profile, out var fromProfile)
            ? fromProfile
            : throw new RemoteStoreException($"AWS_PROFILE '{profile}' is not in the AWS credentials or config file; fix AWS_PROFILE or run 'aws configure --profile {profile}'.");
    }

    static string? Variable(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
