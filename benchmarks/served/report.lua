-- wrk's summary as one JSON line (benchmarks/pages.py reads it): requests, seconds, the
-- latency percentiles in microseconds, requests that timed out, and any failed or non-2xx/3xx
-- responses.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"socket_errors": %d, "timeouts": %d, "bad_status": %d}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.connect + errors.read + errors.write, errors.timeout, errors.status))
end
