//! Work off the async runtime: the one wrapper of `spawn_blocking` every service calls (store
//! reads and writes, extraction), so a task that panics is reported the same way everywhere.

/// A blocking task that did not return: it panicked, or the runtime cancelled it at shutdown.
/// Carries what tokio said (as text, so service errors holding it stay `Clone`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("blocking task failed: {0}")]
pub struct TaskFailed(pub String);

impl From<tokio::task::JoinError> for TaskFailed {
    fn from(e: tokio::task::JoinError) -> Self {
        TaskFailed(e.to_string())
    }
}

/// Run `f` on tokio's blocking pool and answer its result. The caller's error type says what a
/// task that did not return becomes (`E: From<TaskFailed>`); `f`'s own errors come back as
/// they are.
pub async fn blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: From<TaskFailed> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => Err(E::from(TaskFailed::from(e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum E {
        Own(&'static str),
        Task(TaskFailed),
    }

    impl From<TaskFailed> for E {
        fn from(t: TaskFailed) -> Self {
            E::Task(t)
        }
    }

    #[tokio::test]
    async fn results_and_errors_pass_through_and_a_panic_is_task_failed() {
        assert_eq!(blocking(|| Ok::<_, E>(7)).await, Ok(7));
        assert_eq!(
            blocking(|| Err::<u8, _>(E::Own("no"))).await,
            Err(E::Own("no"))
        );
        let panicked = blocking(|| -> Result<u8, E> { panic!("boom") }).await;
        match panicked {
            Err(E::Task(TaskFailed(m))) => assert!(m.contains("panicked"), "{m}"),
            other => panic!("a panic is TaskFailed, got {other:?}"),
        }
    }
}
