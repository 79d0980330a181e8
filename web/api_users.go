package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/web/auth"
)

// apiMe tells a script or page who it is acting as.
func (s *Server) apiMe(c *gin.Context) error {
	role, _ := c.Get(roleKey)
	c.JSON(http.StatusOK, gin.H{"name": c.GetString(userKey), "role": role, "single_user": c.GetBool(singleUserKey)})
	return nil
}

func (s *Server) apiUserList(c *gin.Context) error {
	users, err := s.cfg.Auth.List(c.Request.Context())
	if err != nil {
		return err
	}
	if users == nil {
		users = []auth.User{}
	}
	c.JSON(http.StatusOK, gin.H{"users": users})
	return nil
}

type userCreateRequest struct {
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

func (s *Server) apiUserCreate(c *gin.Context) error {
	var r userCreateRequest
	if err := bindJSON(c, &r, `{"name", "role", "password"}`); err != nil {
		return err
	}
	role, err := auth.ParseRole(r.Role)
	if err != nil {
		return err
	}
	u, err := s.cfg.Auth.Create(c.Request.Context(), r.Name, role, r.Password)
	if err != nil {
		return err
	}
	s.log.Info("account added", "name", u.Name, "role", u.Role, "by", c.GetString(userKey))
	c.JSON(http.StatusCreated, u)
	return nil
}

func (s *Server) apiUserDelete(c *gin.Context) error {
	name := c.Param("name")
	if name == c.GetString(userKey) {
		return httpError(http.StatusConflict, "you cannot delete your own account while logged in with it")
	}
	if err := s.cfg.Auth.Delete(c.Request.Context(), name); err != nil {
		return err
	}
	s.log.Info("account deleted", "name", name, "by", c.GetString(userKey))
	c.Status(http.StatusNoContent)
	return nil
}
