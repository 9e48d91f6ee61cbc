import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { ApiError, get, post, setCsrfToken, setUnauthorizedHandler } from './api.ts';
import type { Me, Session, SystemInfo } from './api-types.ts';

interface AuthContextValue {
  user: Me | null;
  loading: boolean;
  login(username: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  can(permission: string): boolean;
  /** The user's scope covers the whole deployment: settings that apply to everybody may be changed. */
  systemWide: boolean;
}

const AuthContext = createContext<AuthContextValue | null>(null);
export const sessionKey = ['auth', 'me'] as const;

async function fetchSession(): Promise<Session | null> {
  try {
    const session = await get<Session>('/api/v1/auth/me');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const session = useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: Infinity, retry: 1 });

  const forget = useCallback(() => {
    setCsrfToken(null);
    queryClient.removeQueries({
      predicate: (q) => q.queryKey[0] !== 'auth' && q.queryKey[0] !== 'system-info',
    });
    queryClient.setQueryData(sessionKey, null);
  }, [queryClient]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      forget();
      if (window.location.pathname !== '/login') navigate('/login', { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, [forget, navigate]);

  const login = useCallback(
    async (username: string, password: string) => {
      const result = await post<Session>('/api/v1/auth/login', { username, password });
      setCsrfToken(result.csrfToken);
      queryClient.setQueryData(sessionKey, result);
      return result.user;
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await post<void>('/api/v1/auth/logout');
    } finally {
      forget();
      navigate('/login', { replace: true });
    }
  }, [forget, navigate]);

  const user = session.data?.user ?? null;
  const value = useMemo<AuthContextValue>(
    () => ({
      user,
      loading: session.isPending,
      login,
      logout,
      can: (permission) => user?.permissions.includes(permission) ?? false,
      systemWide: user?.systemWide ?? false,
    }),
    [user, session.isPending, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

export function useSystemInfo() {
  return useQuery({
    queryKey: ['system-info'],
    queryFn: () => get<SystemInfo>('/api/v1/system/info'),
    staleTime: 5 * 60_000,
  });
}
